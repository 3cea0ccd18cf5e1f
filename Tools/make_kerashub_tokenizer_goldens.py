#!/usr/bin/env python3
"""Golden ids of real KerasHub's tokenizers on the real vocabularies, for the KerasHub-layout tests.

`BytePairTokenizer` on GPT-2's vocabulary: KerasHub 0.32's default workflow passes Llama 3's split regex to the tokenizers
library's `pre_tokenizers.Split` as a plain `str`, which tokenizers takes as a literal string (a
regex must be a `tokenizers.Regex`), so text is not pre-split at all: merges cross the boundaries
GPT-2's regex draws (`"Hello\n\nHello"` -> Hello, \n\n, Hello; `" 2"` -> one piece), unlike
transformers.

Run with KerasHub's venv (never a runtime dependency of the package):

    KERAS_BACKEND=torch .venv-kerashub/bin/python Tools/make_kerashub_tokenizer_goldens.py

Inputs: Tests/KerasHubTokenizersTests/Fixtures/gpt2_vocab.json, gpt2_merges.txt, corpus.jsonl.
Output: Tests/KerasHubTokenizersTests/Fixtures/goldens_kerashub_bpe.jsonl, one line per text:
    {"text", "ids", "ids_prefix_space"}: KerasHub 0.32's default (Python) workflow with
    unsplittable_tokens=["<|endoftext|>"], add_prefix_space False and True. The texts are the
    parity corpus, KerasHub's own byte_pair_tokenizer_test.py inputs, and 600 seeded lines
    mixing white space (spaces, tabs, \\r, \\n, no-break and ideographic spaces), letters of
    several scripts, digit runs, apostrophe contractions in both cases, punctuation and the
    special token.

`WordPieceTokenizer` on bert-base-uncased's vocabulary:
Output: goldens_kerashub_wordpiece.jsonl, one line per corpus text: {"text", "<lowercase>_<strip_accents>":
    ids} for (lowercase, strip_accents) in (true, false) [KerasHub's BERT presets], (true, true) and
    (false, false), KerasHub's default workflow, special_tokens_in_strings off.
"""
import json
import os
import random

import keras_hub

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "KerasHubTokenizersTests", "Fixtures")

# keras_hub/src/tokenizers/byte_pair_tokenizer_test.py
KERASHUB_CASES = [
    "I am just a test string", "I am also a test string", "brown.", "black.", "quick brown fox.",
    "slow black bear.", "slow bear", "\n\n\n  s", "  \n\n\ns", "Hello\n\nHello", "Hello\n\n\n\nHello",
    "Hello\n\n", "Hello\n\n\n\n", "\xa0 \xa0 \x3000 s", "素晴らしい！芭比Q啦～",
]

PARTS = [" ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "\xa0", "\u3000", " \n", "\n ", "   \n\n",
         "Hello", "world", "ÉCOLE", "naïve", "Добрый", "日本語", "x", "Q",
         "1", "12", "123", "1234", "12345", "3.14", "٣٤٥",
         "'s", "'S", "'t", "'T", "'re", "'RE", "'Ve", "'ll", "'LL", "'d", "'M", "'x", "''",
         ".", ",", "!?", "...", "(", ")", "#", "**", "->", "—", "🙂", "<|endoftext|>"]


def seeded_lines(count):
    rng = random.Random(20261202)
    return ["".join(rng.choice(PARTS) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def main():
    vocab = os.path.join(FIXTURES, "gpt2_vocab.json")
    merges = os.path.join(FIXTURES, "gpt2_merges.txt")
    tokenizers = [
        keras_hub.tokenizers.BytePairTokenizer(vocabulary=vocab, merges=merges, unsplittable_tokens=["<|endoftext|>"],
                                               add_prefix_space=prefix)
        for prefix in (False, True)
    ]
    with open(os.path.join(FIXTURES, "corpus.jsonl"), encoding="utf-8") as f:
        corpus = [json.loads(line)["text"] for line in f]
    texts = corpus + KERASHUB_CASES + seeded_lines(600)
    with open(os.path.join(FIXTURES, "goldens_kerashub_bpe.jsonl"), "w", encoding="utf-8") as out:
        for text in texts:
            plain, prefixed = ([int(i) for i in t.tokenize(text)] for t in tokenizers)
            out.write(json.dumps({"text": text, "ids": plain, "ids_prefix_space": prefixed}, ensure_ascii=False) + "\n")
    print(f"wrote {len(texts)} lines to goldens_kerashub_bpe.jsonl with keras-hub {keras_hub.__version__}")

    options = [(True, False), (True, True), (False, False)]
    wordpieces = {
        f"{str(lower).lower()}_{str(strip).lower()}": keras_hub.tokenizers.WordPieceTokenizer(
            vocabulary=os.path.join(FIXTURES, "bert_base_uncased_vocab.txt"), lowercase=lower, strip_accents=strip)
        for lower, strip in options
    }
    with open(os.path.join(FIXTURES, "goldens_kerashub_wordpiece.jsonl"), "w", encoding="utf-8") as out:
        for text in corpus:
            row = {"text": text}
            for key, tokenizer in wordpieces.items():
                row[key] = [int(i) for i in tokenizer.tokenize(text)]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(corpus)} lines to goldens_kerashub_wordpiece.jsonl")


if __name__ == "__main__":
    main()
