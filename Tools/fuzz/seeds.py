#!/usr/bin/env python3
"""Writes each fuzz target's seed corpus, taken from the repository's real fixtures, into
<scratch>/seeds/<target>/. Usage: Tools/fuzz/seeds.py [scratch] (default .build-fuzz)."""
import glob, hashlib, json, os, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRATCH = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build-fuzz"))
TOK = os.path.join(ROOT, "Tests/KerasHubTokenizersTests/Fixtures")
MODELS = os.path.join(ROOT, "Tests/KerasHubModelsTests/Fixtures")
PRESET = os.path.join(ROOT, "Presets/all_minilm_l6_v2_en")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(target, data):
    directory = os.path.join(SCRATCH, "seeds", target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


texts = [json.loads(line)["text"] for line in open(os.path.join(TOK, "corpus.jsonl"), encoding="utf-8") if line.strip()]

# safetensors: the small real checkpoints, and index files.
for path in sorted(glob.glob(os.path.join(MODELS, "*", "*.safetensors"))):
    if os.path.getsize(path) <= 100_000:
        write("safetensors", read(path))
write("safetensors", json.dumps({"metadata": {"total_size": 1234}, "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                  "b.bias": "model-00002-of-00002.safetensors"}}).encode())
write("safetensors", b'{"weight_map": {}}')

# config.json: transformers configs of the model fixtures and the bundled KerasHub config.
for path in sorted(glob.glob(os.path.join(MODELS, "*", "config.json"))) + [os.path.join(PRESET, "config.json")]:
    write("config", read(path))
    config = json.loads(read(path))
    if "config" in config:
        for name in ["DistilBertBackbone", "GPT2Backbone"]:
            write("config", json.dumps(dict(config, class_name=name)).encode())
        small = dict(config, config=dict(config["config"], vocabulary_size=30, num_layers=1, num_heads=2, hidden_dim=8,
                                          intermediate_dim=16, max_sequence_length=8))
        write("config", json.dumps(small).encode())

# tokenizer.json: the bundled one and one per tokenizer class.
tokenizer = json.loads(read(os.path.join(PRESET, "tokenizer.json")))
write("tokenizer_json", read(os.path.join(PRESET, "tokenizer.json")))
for name in ["DistilBertTokenizer", "WordPieceTokenizer", "GPT2Tokenizer", "BytePairTokenizer", "SentencePieceTokenizer"]:
    write("tokenizer_json", json.dumps(dict(tokenizer, class_name=name, assets=None)).encode())
write("tokenizer_json", json.dumps(dict(tokenizer, config=dict(tokenizer["config"], sequence_length=8, special_tokens_in_strings=True))).encode())

# vocab: mode byte + file (see targets/vocab.swift).
bert_lines = read(os.path.join(TOK, "bert_base_uncased_vocab.txt")).split(b"\n")
write("vocab", b"\x00" + b"\n".join(bert_lines[:1200] + [b"hello", b"world"]) + b"\n")
write("vocab", b"\x00" + b"\n".join(bert_lines[:110]) + b"\n")
gpt2_vocab = json.loads(read(os.path.join(TOK, "gpt2_vocab.json")))
small_vocab = {token: i for token, i in gpt2_vocab.items() if i < 400}
merges = read(os.path.join(TOK, "gpt2_merges.txt")).split(b"\n")
write("vocab", b"\x01" + json.dumps(small_vocab).encode())
write("vocab", b"\x02" + b"\n".join(merges[:40]) + b"\n")
usable = [m for m in merges[1:400] if len(m.split(b" ")) == 2 and all(p.decode() in small_vocab for p in m.split(b" "))
          and m.replace(b" ", b"").decode() in small_vocab]
write("vocab", b"\x03" + json.dumps(small_vocab).encode() + b"\x00" + b"#version: 0.2\n" + b"\n".join(usable) + b"\n")

# Tokenizers: an options byte + each corpus text.
for target, options in [("wordpiece", 8), ("bpe", 4), ("sentencepiece", 4)]:
    for i, text in enumerate(texts):
        write(target, bytes([i % options]) + text.encode("utf-8", "surrogatepass"))

# jsonlines: the corpus itself, strings, id arrays and encode inputs.
write("jsonlines", read(os.path.join(TOK, "corpus.jsonl")))
write("jsonlines", b"\n".join(json.dumps(t).encode() for t in texts[:20]) + b"\n")
write("jsonlines", b'[101, 7592, 102]\n[0]\n\n[1,2,3]\r\n')
write("jsonlines", b'{"token_ids": [101, 7592, 102], "padding_mask": [1, 1, 0], "segment_ids": [0, 0, 0]}\n'
                   b'{"token_ids": [1, 2], "padding_mask": [true, false]}\n')

# h5: KerasHub's own weight files (the small ones), from the preset fixtures.
for path in sorted(glob.glob(os.path.join(ROOT, "Tests/KerasHubPresetsTests/Fixtures/kerashub", "*", "*.h5"))):
    if os.path.getsize(path) <= 130_000:
        write("h5", read(path))

# download and config_fields read their input as a stream of decisions: a few seeded byte strings.
import random
generator = random.Random(16)
for target in ["download", "config_fields"]:
    for _ in range(32):
        write(target, bytes(generator.randrange(256) for _ in range(generator.randrange(8, 160))))
