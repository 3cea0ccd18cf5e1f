#!/usr/bin/env python3
"""Trains the small SentencePiece models KerasHub's own tokenizer unit tests use, with KerasHub's
parameters, so that their cases can be run against us (Tests/KerasHubTokenizersTests and
Tests/KerasHubModelsTests transcribe them).

Run with the reference stack (never a runtime dependency of the package):

    python3 -m venv /tmp/venv-sp01 && /tmp/venv-sp01/bin/pip install "sentencepiece==0.1.99"
    /tmp/venv-sp01/bin/python Tools/make_kerashub_test_protos.py

sentencepiece 0.1.99 is the trainer KerasHub's test models were made with: with it both outputs are
byte for byte KerasHub's keras_hub/src/tests/test_data files. sentencepiece 0.2 trains a different
XLM-R model from the same parameters (an extra `▁[MASK]` piece), which the checks below refuse.

The parameters are those of keras-hub's tools/sentencepiece_testing/ (Apache-2.0):
    create_sentence_piece_tokenizer_proto.py -> Tests/KerasHubTokenizersTests/Fixtures/kerashub_tokenizer_test_vocab.spm
    create_xlm_roberta_test_proto.py         -> Tests/KerasHubModelsTests/Fixtures/tokenizers/kerashub_xlm_roberta_test_vocab.spm
Each output is also checked against the expectations of the KerasHub test that uses it, so a
sentencepiece version that trains a different model is noticed here, not in our suite.
"""
import io
import os

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "Tests")


def train(data, filename, **kwargs):
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(data), model_writer=buffer, minloglevel=2, **kwargs)
    path = os.path.join(TESTS, filename)
    with open(path, "wb") as f:
        f.write(buffer.getbuffer())
    return spm.SentencePieceProcessor(model_file=path)


def main():
    # keras_hub/src/tokenizers/sentence_piece_tokenizer_test.py
    sp = train(["the quick brown fox."], "KerasHubTokenizersTests/Fixtures/kerashub_tokenizer_test_vocab.spm", vocab_size=7, model_type="WORD")
    assert sp.encode("the quick brown fox.") == [6, 5, 3, 4], sp.encode("the quick brown fox.")
    assert [sp.id_to_piece(i) for i in range(7)] == ["<unk>", "<s>", "</s>", "▁brown", "▁fox.", "▁quick", "▁the"]
    # keras_hub/src/models/xlm_roberta/xlm_roberta_tokenizer_test.py (ids there are fairseq's: spm id + 1)
    sp = train(
        ["the quick brown fox", "the earth is round"], "KerasHubModelsTests/Fixtures/tokenizers/kerashub_xlm_roberta_test_vocab.spm",
        vocab_size=12, model_type="WORD", pad_id=0, unk_id=1, bos_id=2, eos_id=3,
        pad_piece="<pad>", unk_piece="<unk>", bos_piece="[CLS]", eos_piece="[SEP]", user_defined_symbols="[MASK]")
    got = [[i + 1 for i in sp.encode(t)] for t in ["the quick brown fox", "the earth is round"]]
    assert got == [[6, 11, 7, 9], [6, 8, 10, 12]], got
    print("wrote kerashub_tokenizer_test_vocab.spm and kerashub_xlm_roberta_test_vocab.spm with sentencepiece", spm.__version__)


if __name__ == "__main__":
    main()
