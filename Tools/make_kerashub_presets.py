#!/usr/bin/env python3
"""Write small presets with real KerasHub's `save_to_preset`, and KerasHub's own tokenizer outputs.

Output: Tests/KerasHubPresetsTests/Fixtures/kerashub/<name>/ for
    roberta_classifier       RobertaTextClassifier (3 classes) on a 2-layer RobertaBackbone, with a
                             RobertaTokenizer over a byte-level vocabulary (all 256 byte symbols, a
                             few merges, RoBERTa's special tokens)
    xlm_roberta_classifier   XLMRobertaTextClassifier (2 classes) on a 2-layer XLMRobertaBackbone, with
                             an XLMRobertaTokenizer over an 800-piece unigram SentencePiece model trained
                             here on the hostile corpus
Each folder holds what KerasHub wrote (config.json, metadata.json, tokenizer.json, preprocessor.json,
task.json, assets/tokenizer/...) except the weights files (model.weights.h5, task.weights.h5),
which this library does not read yet, and goldens.jsonl: KerasHub's tokenizer ids and its
preprocessor's packed token ids (up to the last unmasked position) for every line of the hostile corpus.

Run with the KerasHub reference environment (never a runtime dependency):
    python3 -m venv .venv-kerashub && .venv-kerashub/bin/pip install "torch==2.13.0+cpu" keras-hub keras h5py safetensors
    KERAS_BACKEND=torch .venv-kerashub/bin/python Tools/make_kerashub_presets.py
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import keras_hub  # noqa: E402
import sentencepiece as spm  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "Tests" / "KerasHubPresetsTests" / "Fixtures" / "kerashub"
CORPUS = REPO / "Tests" / "KerasHubTokenizersTests" / "Fixtures" / "corpus.jsonl"
EXTRA = ["<s> hello </s>", "<mask> is the answer", "a<mask>b", "<unk> and <pad> inside", "runs     of      spaces", ""]


def corpus() -> list[str]:
    return [json.loads(line)["text"] for line in CORPUS.read_text().splitlines()] + EXTRA


def byte_level_vocabulary() -> tuple[dict[str, int], list[str]]:
    # GPT-2's byte-to-unicode table, as transformers and KerasHub define it.
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    symbols = [chr(c) for c in cs]
    vocabulary = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4}
    for symbol in symbols:
        vocabulary.setdefault(symbol, len(vocabulary))
    merges = ["Ġ t", "h e", "Ġt he", "Ġ a", "i n", "e r", "Ġ s", "o n", "r e", "Ġ o"]
    for merge in merges:
        vocabulary.setdefault(merge.replace(" ", ""), len(vocabulary))
    return vocabulary, merges


def sentencepiece_model(directory: Path) -> Path:
    text = directory / "corpus.txt"
    text.write_text("\n".join(line for line in corpus() if line.strip()) + "\n", encoding="utf-8")
    prefix = directory / "xlmr_test"
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(prefix), vocab_size=800, model_type="unigram",
        pad_id=-1, unk_id=0, bos_id=1, eos_id=2, character_coverage=0.98, seed_sentencepiece_size=10000,
        num_threads=1, shuffle_input_sentence=False, hard_vocab_limit=False)
    return prefix.with_suffix(".model")


def save(task, preprocessor, name: str) -> None:
    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    task.save_to_preset(str(folder))
    for weights in folder.glob("*.weights.*"):
        weights.unlink()
    with open(folder / "goldens.jsonl", "w") as out:
        for text in corpus():
            ids = [int(i) for i in keras.ops.convert_to_numpy(preprocessor.tokenizer(text))]
            packed = preprocessor([text])
            token_ids = keras.ops.convert_to_numpy(packed["token_ids"])[0].tolist()
            mask = keras.ops.convert_to_numpy(packed["padding_mask"])[0].tolist()
            # Up to the last real position (KerasHub masks every pad id, a <pad> inside the text too).
            length = max((i + 1 for i, m in enumerate(mask) if m), default=0)
            packed_ids = [int(t) for t in token_ids[:length]]
            out.write(json.dumps({"text": text, "ids": ids, "packed": packed_ids}, ensure_ascii=False) + "\n")
    print(f"{name}: {sorted(p.relative_to(folder).as_posix() for p in folder.rglob('*') if p.is_file())}")


def main() -> None:
    keras.utils.set_random_seed(7)
    vocabulary, merges = byte_level_vocabulary()
    tokenizer = keras_hub.models.RobertaTokenizer(vocabulary=vocabulary, merges=merges)
    preprocessor = keras_hub.models.RobertaTextClassifierPreprocessor(tokenizer=tokenizer, sequence_length=64)
    backbone = keras_hub.models.RobertaBackbone(
        vocabulary_size=tokenizer.vocabulary_size(), num_layers=2, num_heads=2, hidden_dim=16, intermediate_dim=24,
        max_sequence_length=64)
    save(keras_hub.models.RobertaTextClassifier(backbone=backbone, num_classes=3, preprocessor=preprocessor),
         preprocessor, "roberta_classifier")

    with tempfile.TemporaryDirectory() as scratch:
        proto = sentencepiece_model(Path(scratch))
        tokenizer = keras_hub.models.XLMRobertaTokenizer(proto=str(proto))
        preprocessor = keras_hub.models.XLMRobertaTextClassifierPreprocessor(tokenizer=tokenizer, sequence_length=64)
        backbone = keras_hub.models.XLMRobertaBackbone(
            vocabulary_size=tokenizer.vocabulary_size(), num_layers=2, num_heads=2, hidden_dim=16, intermediate_dim=24,
            max_sequence_length=64)
        save(keras_hub.models.XLMRobertaTextClassifier(backbone=backbone, num_classes=2, preprocessor=preprocessor),
             preprocessor, "xlm_roberta_classifier")
    print(f"keras-hub {keras_hub.__version__}, keras {keras.__version__}, backend {keras.backend.backend()}")


if __name__ == "__main__":
    main()
