#!/usr/bin/env python3
"""Write small presets with real KerasHub's `save_to_preset`, with KerasHub's own outputs on them.

Every weight is set to random values (layer-norm scales around 1) before saving, so each one matters.
Output: Tests/KerasHubPresetsTests/Fixtures/kerashub/<name>/, each exactly as KerasHub 0.32 writes it
(config.json, metadata.json, model.weights.h5 or model.weights.json + shards, task.json,
task.weights.h5, tokenizer.json, preprocessor.json, assets/tokenizer/...), plus our goldens:
    roberta_classifier       RobertaTextClassifier (3 classes), RobertaTokenizer over a byte-level vocabulary
    xlm_roberta_classifier   XLMRobertaTextClassifier (2 classes), XLMRobertaTokenizer over an 800-piece
                             unigram SentencePiece model trained here on the hostile corpus
        goldens.jsonl: KerasHub's tokenizer ids and packed ids for every line of the hostile corpus
        outputs.json: the first corpus lines and KerasHub's logits
    bert_classifier          BertTextClassifier (3 classes), BertTokenizer over a small WordPiece vocabulary
        outputs.json: texts and KerasHub's logits
    bert_masked_lm           BertMaskedLM over the same tokenizer
        outputs.json: texts with [MASK] and KerasHub's top-5 tokens and probabilities per mask
    <family>_backbone, <family>_backbone_sharded   (bert, distil_bert, gpt2, roberta, xlm_roberta)
                             the backbone alone, single-file and sharded (max_shard_size 20 KB)
        outputs.json: token_ids / padding_mask (/ segment_ids) and KerasHub's outputs
    gpt2_causal_lm           GPT2CausalLM with a GPT2Tokenizer (byte-level vocabulary)
        outputs.json: prompt ids and KerasHub's greedy continuation ids
    bert_lora                bert_backbone's preset with bert.lora.h5: `enable_lora(4)`, random LoRA
                             factors, `save_lora_weights`
        outputs.json: KerasHub's outputs with the LoRA weights
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
import numpy as np  # noqa: E402
import sentencepiece as spm  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "Tests" / "KerasHubPresetsTests" / "Fixtures" / "kerashub"
CORPUS = REPO / "Tests" / "KerasHubTokenizersTests" / "Fixtures" / "corpus.jsonl"
EXTRA = ["<s> hello </s>", "<mask> is the answer", "a<mask>b", "<unk> and <pad> inside", "runs     of      spaces", ""]


def corpus() -> list[str]:
    return [json.loads(line)["text"] for line in CORPUS.read_text().splitlines()] + EXTRA


def byte_level_vocabulary(specials=("<s>", "<pad>", "</s>", "<unk>", "<mask>")) -> tuple[dict[str, int], list[str]]:
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
    vocabulary = {token: index for index, token in enumerate(specials)}
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


RNG = np.random.default_rng(11)
SMALL = dict(num_layers=2, num_heads=2, hidden_dim=16, intermediate_dim=24, max_sequence_length=32)


def randomize(model) -> None:
    """Every weight drawn anew, so that a weight read from the wrong place changes the outputs."""
    for variable in model.weights:
        shape = tuple(variable.shape)
        values = RNG.normal(0.0, 0.2, shape)
        if variable.path.endswith("gamma"):
            values = 1.0 + 0.1 * RNG.normal(size=shape)
        variable.assign(values.astype("float32"))


def flat(tensor) -> list[float]:
    return [float(x) for x in np.asarray(keras.ops.convert_to_numpy(tensor), dtype=np.float32).reshape(-1)]


def write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=1) + "\n")


def backbone_inputs(backbone, vocabulary_size: int, with_segments: bool):
    token_ids = RNG.integers(0, vocabulary_size, size=(2, 10)).astype("int32")
    padding_mask = np.ones((2, 10), dtype=bool)
    padding_mask[1, 7:] = False
    inputs = {"token_ids": token_ids, "padding_mask": padding_mask}
    if with_segments:
        segment_ids = np.zeros((2, 10), dtype="int32")
        segment_ids[:, 5:] = 1
        inputs["segment_ids"] = segment_ids
    return inputs


def backbone_outputs(backbone, inputs) -> dict:
    outputs = backbone(inputs)
    result = {name: value.tolist() for name, value in inputs.items()}
    if isinstance(outputs, dict):
        result["sequence_output"] = flat(outputs["sequence_output"])
        result["pooled_output"] = flat(outputs["pooled_output"])
        result["shape"] = list(outputs["sequence_output"].shape)
    else:
        result["sequence_output"] = flat(outputs)
        result["shape"] = list(outputs.shape)
    return result


def save_backbones() -> None:
    families = [
        ("bert", keras_hub.models.BertBackbone, True),
        ("distil_bert", keras_hub.models.DistilBertBackbone, False),
        ("gpt2", keras_hub.models.GPT2Backbone, False),
        ("roberta", keras_hub.models.RobertaBackbone, False),
        ("xlm_roberta", keras_hub.models.XLMRobertaBackbone, False),
    ]
    for name, cls, segments in families:
        backbone = cls(vocabulary_size=50, **SMALL)
        randomize(backbone)
        inputs = backbone_inputs(backbone, 50, segments)
        outputs = backbone_outputs(backbone, inputs)
        for suffix, shard in (("", 10), ("_sharded", 20e3 / 1024**3)):
            folder = OUT / f"{name}_backbone{suffix}"
            if folder.exists():
                shutil.rmtree(folder)
            backbone.save_to_preset(str(folder), max_shard_size=shard)
            write_json(folder / "outputs.json", outputs)
            # KerasHub itself reads back what it wrote to the same numbers.
            again = keras_hub.models.Backbone.from_preset(str(folder))
            assert np.allclose(backbone_outputs(again, inputs)["sequence_output"], outputs["sequence_output"], atol=1e-6)
            print(f"{folder.name}: {sorted(p.name for p in folder.iterdir())}")
        if name == "bert":
            save_lora(backbone, inputs)


def save_lora(backbone, inputs) -> None:
    folder = OUT / "bert_lora"
    if folder.exists():
        shutil.rmtree(folder)
    backbone.save_to_preset(str(folder))
    backbone.enable_lora(4)
    for variable in backbone.weights:
        if "lora_kernel" in variable.path:
            variable.assign(RNG.normal(0.0, 0.2, tuple(variable.shape)).astype("float32"))
    backbone.save_lora_weights(str(folder / "bert.lora.h5"))
    write_json(folder / "outputs.json", backbone_outputs(backbone, inputs))
    print(f"bert_lora: {sorted(p.name for p in folder.iterdir())}")


def word_piece_vocabulary() -> list[str]:
    words = sorted({w for line in corpus() for w in line.lower().split() if w.isascii() and w.isalpha()})[:120]
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + letters + ["##" + c for c in letters] + list(".,!?'-")
    return pieces + [w for w in words if w not in pieces]


def save_bert_classifier() -> None:
    tokenizer = keras_hub.models.BertTokenizer(vocabulary=word_piece_vocabulary(), lowercase=True)
    preprocessor = keras_hub.models.BertTextClassifierPreprocessor(tokenizer=tokenizer, sequence_length=32)
    backbone = keras_hub.models.BertBackbone(vocabulary_size=tokenizer.vocabulary_size(), **SMALL)
    classifier = keras_hub.models.BertTextClassifier(backbone=backbone, num_classes=3, preprocessor=preprocessor)
    randomize(classifier)
    folder = OUT / "bert_classifier"
    if folder.exists():
        shutil.rmtree(folder)
    classifier.save_to_preset(str(folder))
    texts = ["the quick brown fox", "a b c", "", "Hello, world! This is a longer sentence that keeps going on and on."]
    logits = keras.ops.convert_to_numpy(classifier.predict(texts, verbose=0))
    write_json(folder / "outputs.json", {"texts": texts, "logits": logits.tolist()})
    print(f"bert_classifier: {sorted(p.name for p in folder.iterdir())}")


def save_bert_masked_lm() -> None:
    tokenizer = keras_hub.models.BertTokenizer(vocabulary=word_piece_vocabulary(), lowercase=True)
    preprocessor = keras_hub.models.BertMaskedLMPreprocessor(tokenizer=tokenizer, sequence_length=32)
    backbone = keras_hub.models.BertBackbone(vocabulary_size=tokenizer.vocabulary_size(), **SMALL)
    masked_lm = keras_hub.models.BertMaskedLM(backbone=backbone, preprocessor=preprocessor)
    randomize(masked_lm)
    folder = OUT / "bert_masked_lm"
    if folder.exists():
        shutil.rmtree(folder)
    masked_lm.save_to_preset(str(folder))
    mask = tokenizer.token_to_id("[MASK]")
    results = []
    for text in ["the quick [MASK] fox", "[MASK] b [MASK]"]:
        ids = []
        for index, piece in enumerate(text.split("[MASK]")):
            if index:
                ids.append(mask)
            ids += [int(i) for i in keras.ops.convert_to_numpy(tokenizer(piece))]
        ids = [tokenizer.token_to_id("[CLS]")] + ids + [tokenizer.token_to_id("[SEP]")]
        positions = [i for i, t in enumerate(ids) if t == mask]
        length = 32
        inputs = {
            "token_ids": np.array([ids + [0] * (length - len(ids))], dtype="int32"),
            "padding_mask": np.array([[True] * len(ids) + [False] * (length - len(ids))]),
            "segment_ids": np.zeros((1, length), dtype="int32"),
            "mask_positions": np.array([positions], dtype="int32"),
        }
        logits = keras.ops.convert_to_numpy(masked_lm(inputs))[0]
        probabilities = np.exp(logits - logits.max(axis=-1, keepdims=True))
        probabilities /= probabilities.sum(axis=-1, keepdims=True)
        top = [[{"id": int(i), "token": tokenizer.id_to_token(int(i)), "probability": float(row[i])}
                for i in np.argsort(-row, kind="stable")[:5]] for row in probabilities]
        results.append({"text": text, "predictions": top})
    write_json(folder / "outputs.json", {"fills": results})
    print(f"bert_masked_lm: {sorted(p.name for p in folder.iterdir())}")


def save_gpt2_causal_lm() -> None:
    vocabulary, merges = byte_level_vocabulary(("<|endoftext|>",))
    tokenizer = keras_hub.models.GPT2Tokenizer(vocabulary=vocabulary, merges=merges)
    preprocessor = keras_hub.models.GPT2CausalLMPreprocessor(tokenizer=tokenizer, sequence_length=32)
    backbone = keras_hub.models.GPT2Backbone(vocabulary_size=tokenizer.vocabulary_size(), **SMALL)
    causal_lm = keras_hub.models.GPT2CausalLM(backbone=backbone, preprocessor=preprocessor)
    randomize(causal_lm)
    folder = OUT / "gpt2_causal_lm"
    if folder.exists():
        shutil.rmtree(folder)
    causal_lm.save_to_preset(str(folder))
    causal_lm.compile(sampler="greedy")
    generations = []
    for prompt in ["the cat", "Hello world", "a"]:
        ids = [tokenizer.start_token_id] + [int(i) for i in keras.ops.convert_to_numpy(tokenizer(prompt))]
        length = 20
        token_ids = np.array([ids + [0] * (length - len(ids))], dtype="int32")
        mask = np.array([[True] * len(ids) + [False] * (length - len(ids))])
        causal_lm.preprocessor = None
        out = causal_lm.generate({"token_ids": token_ids, "padding_mask": mask}, stop_token_ids=None)
        causal_lm.preprocessor = preprocessor
        generated = keras.ops.convert_to_numpy(out["token_ids"])[0].tolist()
        generations.append({"prompt": prompt, "prompt_ids": ids, "token_ids": [int(t) for t in generated]})
    write_json(folder / "outputs.json", {"generations": generations})
    print(f"gpt2_causal_lm: {sorted(p.name for p in folder.iterdir())}")


def save(task, preprocessor, name: str) -> None:
    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    randomize(task)
    task.save_to_preset(str(folder))
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
    texts = corpus()[:6]
    logits = keras.ops.convert_to_numpy(task.predict(texts, verbose=0))
    write_json(folder / "outputs.json", {"texts": texts, "logits": logits.tolist()})
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
    save_backbones()
    save_bert_classifier()
    save_bert_masked_lm()
    save_gpt2_causal_lm()
    print(f"keras-hub {keras_hub.__version__}, keras {keras.__version__}, backend {keras.backend.backend()}")


if __name__ == "__main__":
    main()
