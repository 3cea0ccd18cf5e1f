#!/usr/bin/env python3
"""Loads a preset written by swift-keras-hub in real KerasHub and compares its outputs with transformers'.

Usage (with the KerasHub reference environment; the Swift tests call this when it is present):
    KERAS_BACKEND=torch .venv-kerashub/bin/python Tools/check_kerashub_load.py \\
        --preset DIR --task backbone|classifier|causal_lm \\
        --cases FIXTURE/cases.json --expected FIXTURE/expected.safetensors [--tolerance 1e-4]
        [--reference kerashub-conversion --transformers FIXTURE]
    ... --task classifier --texts OUTPUTS.json     (text in, through the saved tokenizer and preprocessor)

`cases.json` and `expected.safetensors` are a transformers fixture of Tests/KerasHubModelsTests/Fixtures
(inputs, and transformers' `last_hidden_state` / `logits` for them). The preset is loaded with
`keras_hub.models.Backbone.from_preset`, `TextClassifier.from_preset` or `CausalLM.from_preset`, run on
each case, and compared over the unpadded positions. With `--reference kerashub-conversion` the
reference is KerasHub's own conversion of the transformers checkpoint (`Backbone.from_preset(FIXTURE)`,
and for a BERT classifier transformers' `classifier` head applied to its pooled output): for models whose
KerasHub class computes otherwise than transformers (KerasHub's BERT uses the tanh GELU). Prints one JSON line
{"task", "cases", "max_difference"}; exits 1 when the difference exceeds the tolerance, 2 on a load error.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import keras_hub  # noqa: E402
import numpy as np  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", required=True)
    parser.add_argument("--task", choices=["backbone", "classifier", "causal_lm"], required=True)
    parser.add_argument("--cases", help="a transformers fixture's cases.json")
    parser.add_argument("--expected", help="a transformers fixture's expected.safetensors")
    parser.add_argument("--texts", help="an outputs.json with \"texts\" and \"logits\": run the classifier's predict on the texts")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--reference", choices=["transformers", "kerashub-conversion"], default="transformers")
    parser.add_argument("--transformers", help="the transformers fixture directory (for --reference kerashub-conversion)")
    args = parser.parse_args()
    try:
        if args.task == "backbone":
            model = keras_hub.models.Backbone.from_preset(args.preset)
        elif args.task == "classifier":
            model = keras_hub.models.TextClassifier.from_preset(args.preset)
        else:
            model = keras_hub.models.CausalLM.from_preset(args.preset)
    except Exception as error:  # noqa: BLE001 - the message is the result
        print(json.dumps({"task": args.task, "error": f"{type(error).__name__}: {error}"}))
        return 2
    if args.texts:
        reference = json.load(open(args.texts))
        ours = np.asarray(model.predict(reference["texts"], verbose=0))
        worst = float(np.abs(ours - np.array(reference["logits"], dtype=np.float32)).max(initial=0.0))
        print(json.dumps({"task": args.task, "texts": len(reference["texts"]), "max_difference": worst}))
        return 0 if worst <= args.tolerance else 1
    cases = json.load(open(args.cases))
    expected = load_file(args.expected)
    converted = head = None
    if args.reference == "kerashub-conversion":
        converted = keras_hub.models.Backbone.from_preset(args.transformers)
        checkpoint = load_file(os.path.join(args.transformers, "model.safetensors"))
        head = (checkpoint.get("classifier.weight"), checkpoint.get("classifier.bias"))
    backbone = model if args.task == "backbone" else model.backbone
    worst = 0.0
    for index, case in enumerate(cases):
        token_ids = np.array(case["input_ids"], dtype="int32")
        mask = np.array(case["attention_mask"], dtype=bool)
        inputs = {"token_ids": token_ids, "padding_mask": mask}
        if "segment_ids" in [i.name for i in backbone.inputs]:
            inputs["segment_ids"] = np.array(case.get("token_type_ids", np.zeros_like(token_ids)), dtype="int32")
        outputs = model(inputs)
        if args.task == "backbone":
            ours = outputs["sequence_output"] if isinstance(outputs, dict) else outputs
            reference = expected[f"case{index}.last_hidden_state"]
        else:
            ours = outputs
            reference = expected[f"case{index}.logits"]
        ours = keras.ops.convert_to_numpy(ours)
        if converted is not None:
            reference_outputs = converted(inputs)
            if args.task == "backbone":
                reference = keras.ops.convert_to_numpy(reference_outputs["sequence_output"])
            else:
                pooled = keras.ops.convert_to_numpy(reference_outputs["pooled_output"])
                reference = pooled @ head[0].T + head[1]
        if ours.shape != reference.shape:
            print(json.dumps({"task": args.task, "error": f"case {index}: shape {list(ours.shape)} != {list(reference.shape)}"}))
            return 1
        difference = np.abs(ours - reference)
        if ours.ndim == 3:
            difference = difference[mask]
        worst = max(worst, float(difference.max(initial=0.0)))
    print(json.dumps({"task": args.task, "cases": len(cases), "max_difference": worst}))
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
