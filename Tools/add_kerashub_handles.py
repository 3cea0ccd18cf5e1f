#!/usr/bin/env python3
"""Writes KerasHub's own handle of each built-in preset into Presets/registry.json (`kerashub_handle`).

KerasHub publishes each preset on Kaggle Models (`kaggle://keras/<model>/keras/<preset>/<version>`);
the handles come from the installed keras-hub's preset tables (`<Backbone>.presets`), so rerunning this
with a newer keras-hub picks up new versions.
    KERAS_BACKEND=torch .venv-kerashub/bin/python Tools/add_kerashub_handles.py
"""
import json
import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras_hub  # noqa: E402

REGISTRY = Path(__file__).resolve().parent.parent / "Presets" / "registry.json"


def main() -> None:
    handles = {}
    for cls in (keras_hub.models.BertBackbone, keras_hub.models.DistilBertBackbone, keras_hub.models.GPT2Backbone,
                keras_hub.models.RobertaBackbone, keras_hub.models.XLMRobertaBackbone):
        for name, entry in cls.presets.items():
            if isinstance(entry, dict) and entry.get("kaggle_handle"):
                handles[name] = entry["kaggle_handle"]
    registry = json.loads(REGISTRY.read_text())
    for preset in registry["presets"]:
        handle = handles.get(preset["name"])
        if handle:
            preset["kerashub_handle"] = handle
        else:
            preset.pop("kerashub_handle", None)
        print(f"{preset['name']}: {handle}")
    REGISTRY.write_text(json.dumps(registry, indent=2, ensure_ascii=False) + "\n")
    print(f"keras-hub {keras_hub.__version__}")


if __name__ == "__main__":
    main()
