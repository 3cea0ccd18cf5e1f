#!/usr/bin/env python3
"""Write small random RoBERTa and XLM-RoBERTa checkpoints, their reference outputs, and
tokenizer goldens from transformers.

Models (Tests/KerasHubModelsTests/Fixtures/<name>/, same layout as make_model_fixtures.py):
    roberta_a        RobertaModel                      (pooler saved, ignored as KerasHub does)
    roberta_mlm      RobertaForMaskedLM                 logits at every position
    roberta_cls      RobertaForSequenceClassification   3 labels
    xlm_roberta_a    XLMRobertaModel
    xlm_roberta_cls  XLMRobertaForSequenceClassification 2 labels
    xlm_roberta_mlm  XLMRobertaForMaskedLM              logits at every position
Inputs are right padded with RoBERTa's pad id 1 and real tokens never use it, so transformers'
position ids (padding_idx + 1 + cumulative count of real tokens) are 2..n+1, which is KerasHub's
table without its two reserved rows.

Tokenizer goldens (Tests/KerasHubModelsTests/Fixtures/tokenizers/):
    roberta_goldens.jsonl      RobertaTokenizerFast over the hostile corpus, with and without
                               special tokens, on a vocabulary built from GPT-2's
                               (``roberta_vocabulary``: <s> <pad> </s> <unk>, GPT-2's tokens
                               shifted by 4 without <|endoftext|>, then <mask>) and GPT-2's merges,
                               the layout of roberta-base's own files.
    xlm_roberta_goldens.jsonl  XLMRobertaTokenizer (sentencepiece) on botchan_en_unigram_1000.model.

Run:  .venv-ref/bin/python Tools/make_roberta_fixtures.py
A rerun on the same machine reproduces identical files (fixed seeds).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import sentencepiece as spm
import torch
from safetensors.torch import save_file
from transformers import (
    RobertaConfig,
    RobertaForMaskedLM,
    RobertaForSequenceClassification,
    RobertaModel,
    RobertaTokenizerFast,
    XLMRobertaConfig,
    XLMRobertaForMaskedLM,
    XLMRobertaForSequenceClassification,
    XLMRobertaModel,
    XLMRobertaTokenizer,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_model_fixtures import dump_cases, load_eager, reinit_  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "Tests" / "KerasHubModelsTests" / "Fixtures"
TOKENIZER_FIXTURES = REPO / "Tests" / "KerasHubTokenizersTests" / "Fixtures"
PAD_ID = 1
MAX_BYTES = 3 * 512 * 1024


def roberta_config(cls=RobertaConfig, **kw):
    base = dict(
        vocab_size=97,
        hidden_size=36,
        num_hidden_layers=2,
        num_attention_heads=4,  # head dim 9
        intermediate_size=45,
        hidden_act="gelu",
        max_position_embeddings=22,  # 20 usable positions
        type_vocab_size=1,
        layer_norm_eps=1e-5,
        pad_token_id=PAD_ID,
        bos_token_id=0,
        eos_token_id=2,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        classifier_dropout=None,
    )
    base.update(kw)
    return cls(**base)


def xlm_roberta_config(**kw):
    base = dict(vocab_size=1002, hidden_size=24, num_attention_heads=3, intermediate_size=31, max_position_embeddings=18)
    base.update(kw)
    return roberta_config(XLMRobertaConfig, **base)


FIXTURES = {
    "roberta_a": (RobertaModel, roberta_config, 5001),
    "roberta_mlm": (RobertaForMaskedLM, lambda: roberta_config(num_hidden_layers=1, intermediate_size=29), 5002),
    "roberta_cls": (RobertaForSequenceClassification, lambda: roberta_config(num_labels=3), 5003),
    "xlm_roberta_a": (XLMRobertaModel, xlm_roberta_config, 6001),
    "xlm_roberta_cls": (XLMRobertaForSequenceClassification, lambda: xlm_roberta_config(num_labels=2), 6002),
    "xlm_roberta_mlm": (XLMRobertaForMaskedLM, lambda: xlm_roberta_config(num_hidden_layers=1, max_position_embeddings=14), 6003),
}


def make_cases(cfg, seed: int) -> list[dict]:
    g = torch.Generator().manual_seed(seed + 77)
    usable = cfg.max_position_embeddings - 2

    def case(name: str, lengths: list[int]) -> dict:
        width = max(lengths)
        ids, mask = [], []
        for n in lengths:
            # Real tokens avoid the pad id 1 (transformers derives positions from it).
            row = [t if t != PAD_ID else 0 for t in torch.randint(0, cfg.vocab_size, (n,), generator=g).tolist()]
            ids.append(row + [PAD_ID] * (width - n))
            mask.append([1] * n + [0] * (width - n))
        return {"name": name, "input_ids": ids, "attention_mask": mask}

    return [
        case("b1_len1", [1]),
        case("b1_maxlen", [usable]),
        case("b3_right_padded", [11, 7, 3]),
    ]


@torch.no_grad()
def run_cases(model, cases: list[dict]) -> dict[str, torch.Tensor]:
    out = {}
    for i, c in enumerate(cases):
        res = model(
            input_ids=torch.tensor(c["input_ids"]), attention_mask=torch.tensor(c["attention_mask"]),
            output_hidden_states=True)
        out[f"case{i}.last_hidden_state"] = res.hidden_states[-1]
        if getattr(res, "logits", None) is not None:
            out[f"case{i}.logits"] = res.logits
    return {k: v.detach().to(torch.float32).contiguous() for k, v in out.items()}


def build(name: str) -> None:
    cls, cfg_fn, seed = FIXTURES[name]
    torch.manual_seed(seed)
    cfg = cfg_fn()
    model = cls(cfg).eval()
    reinit_(model, seed)
    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    model.save_pretrained(folder, safe_serialization=True)
    (folder / "generation_config.json").unlink(missing_ok=True)
    cases = make_cases(cfg, seed)
    (folder / "cases.json").write_text(dump_cases(cases))
    expected = run_cases(load_eager(cls, folder), cases)
    sdpa = cls.from_pretrained(folder, attn_implementation="sdpa", dtype=torch.float32).eval()
    for k, v in run_cases(sdpa, cases).items():
        d = (v - expected[k]).abs().max().item()
        assert d < 1e-5, f"{name}: sdpa vs eager {k} differ by {d}"
    save_file(expected, str(folder / "expected.safetensors"), metadata={"format": "pt"})
    print(f"{name}: {cls.__name__} hidden={cfg.hidden_size} heads={cfg.num_attention_heads} vocab={cfg.vocab_size}")


HOSTILE = [
    "<s> hello </s>",
    "<mask> is the answer",
    "The capital of France is <mask>.",
    "a<mask>b",
    "  <mask>  ",
    "<unk> and <pad> inside",
    "</s></s>",
    "<s>",
    "café naïve Ångström",
    "日本語のテキストと中文",
    "emoji 😀👍🏽 family 👨‍👩‍👧",
    "tabs\tand\nnewlines\r\nhere",
    "runs     of      spaces",
    " leading space",
    "trailing space ",
    "",
]


def tie_heavy(count: int = 200, seed: int = 7) -> list[str]:
    """Runs of repeated punctuation and short pieces, where segmentations tie in score."""
    rng = random.Random(seed)
    alphabet = "--__**..!!??##$$%%&&'' abcé\t\u00a0▁<>s/"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(count)]


def corpus() -> list[str]:
    lines = [json.loads(line)["text"] for line in (TOKENIZER_FIXTURES / "corpus.jsonl").read_text().splitlines()]
    return lines + HOSTILE + tie_heavy()


def roberta_vocabulary() -> dict[str, int]:
    gpt2 = json.loads((TOKENIZER_FIXTURES / "gpt2_vocab.json").read_text())
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for token, index in gpt2.items():
        if token != "<|endoftext|>":
            vocab[token] = index + 4
    vocab["<mask>"] = max(vocab.values()) + 1
    return vocab


def tokenizer_goldens() -> None:
    folder = OUT / "tokenizers"
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / "_scratch"
    scratch.mkdir(exist_ok=True)
    try:
        (scratch / "vocab.json").write_text(json.dumps(roberta_vocabulary()))
        shutil.copy(TOKENIZER_FIXTURES / "gpt2_merges.txt", scratch / "merges.txt")
        (scratch / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "RobertaTokenizer"}))
        roberta = RobertaTokenizerFast.from_pretrained(str(scratch))
        sp_folder = scratch / "xlm_roberta"
        sp_folder.mkdir()
        shutil.copy(TOKENIZER_FIXTURES / "botchan_en_unigram_1000.model", sp_folder / "sentencepiece.bpe.model")
        (sp_folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "XLMRobertaTokenizer"}))
        xlmr = XLMRobertaTokenizer.from_pretrained(str(sp_folder))
        processor = spm.SentencePieceProcessor(model_file=str(sp_folder / "sentencepiece.bpe.model"))
        disagreements = 0
        for text in corpus():
            fairseq = [3 if i == 0 else i + 1 for i in processor.encode(text)]
            disagreements += fairseq != xlmr(text, add_special_tokens=False)["input_ids"]
        print(f"xlm_roberta: transformers and sentencepiece (fairseq offset) disagree on {disagreements} lines")
        for label, tokenizer in (("roberta", roberta), ("xlm_roberta", xlmr)):
            with open(folder / f"{label}_goldens.jsonl", "w") as out:
                for text in corpus():
                    row = {
                        "text": text,
                        "ids": tokenizer(text, add_special_tokens=False)["input_ids"],
                        "ids_with_special_tokens": tokenizer(text)["input_ids"],
                    }
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{label}: {len(corpus())} lines, vocabulary {len(tokenizer)}")
    finally:
        shutil.rmtree(scratch)


def main() -> None:
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    names = sys.argv[1:] or list(FIXTURES)
    for name in names:
        build(name)
    tokenizer_goldens()
    total = sum(p.stat().st_size for n in list(FIXTURES) + ["tokenizers"] for p in (OUT / n).rglob("*") if p.is_file())
    print(f"total size of the RoBERTa fixtures: {total} bytes")
    assert total < MAX_BYTES, "RoBERTa fixtures exceed 1.5 MB"


if __name__ == "__main__":
    main()
