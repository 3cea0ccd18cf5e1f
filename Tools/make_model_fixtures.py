#!/usr/bin/env python3
"""Write small random transformers checkpoints and their reference outputs.

Output: Tests/KerasHubModelsTests/Fixtures/<name>/
    config.json, model.safetensors      save_pretrained(..., safe_serialization=True)
    cases.json                          inputs (input_ids, attention_mask[, token_type_ids])
    expected.safetensors                float32 outputs: case{i}.last_hidden_state,
                                        case{i}.pooler_output (BERT), case{i}.logits (heads)
and Tests/KerasHubModelsTests/Fixtures/MANIFEST.json.

Every parameter is re-initialised with a large std so that every weight matters,
while activations stay O(1) so a float32 parity of 1e-4 is meaningful. The
expected outputs are computed by the model as RELOADED from the written folder
(eager attention, eval mode, float32), so they describe exactly what is on disk;
for the fp16/bf16 fixtures that means the rounded weights upcast to float32.

Run:  .venv-ref/bin/python Tools/make_model_fixtures.py [--out DIR]
A rerun on the same machine reproduces identical files (fixed seeds).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
from pathlib import Path

import torch
import transformers
from safetensors import safe_open
from safetensors.torch import save_file
from transformers import (
    BertConfig,
    BertForMaskedLM,
    BertForSequenceClassification,
    BertModel,
    DistilBertConfig,
    DistilBertForMaskedLM,
    DistilBertForSequenceClassification,
    DistilBertModel,
    GPT2Config,
    GPT2LMHeadModel,
    GPT2Model,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Tests" / "KerasHubModelsTests" / "Fixtures"
PAD_ID = 0
MAX_BYTES = 4 * 1024 * 1024


# --------------------------------------------------------------------------- configs

def bert_a_config() -> BertConfig:
    return BertConfig(
        vocab_size=150,
        hidden_size=30,
        num_hidden_layers=2,
        num_attention_heads=3,  # head dim 10
        intermediate_size=37,
        hidden_act="gelu",
        max_position_embeddings=24,
        type_vocab_size=2,
        layer_norm_eps=1e-12,
        pad_token_id=PAD_ID,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )


def bert_b_config() -> BertConfig:
    return BertConfig(
        vocab_size=173,
        hidden_size=64,
        num_hidden_layers=3,
        num_attention_heads=4,  # head dim 16
        intermediate_size=101,
        hidden_act="gelu_new",
        max_position_embeddings=20,
        type_vocab_size=3,
        layer_norm_eps=1e-6,
        pad_token_id=PAD_ID,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )


def bert_head_config(**kw) -> BertConfig:
    # Head-test models: head dim 6 (hidden 42, 7 heads), odd sizes.
    return BertConfig(
        vocab_size=131,
        hidden_size=42,
        num_hidden_layers=2,
        num_attention_heads=7,
        intermediate_size=55,
        hidden_act="gelu",
        max_position_embeddings=20,
        type_vocab_size=2,
        layer_norm_eps=1e-12,
        pad_token_id=PAD_ID,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        classifier_dropout=None,
        **kw,
    )


def distilbert_config(**kw) -> DistilBertConfig:
    return DistilBertConfig(
        vocab_size=120,
        dim=36,
        n_layers=2,
        n_heads=6,  # head dim 6
        hidden_dim=50,
        activation="gelu",
        max_position_embeddings=28,
        sinusoidal_pos_embds=False,
        pad_token_id=PAD_ID,
        dropout=0.0,
        attention_dropout=0.0,
        seq_classif_dropout=0.0,
        **kw,
    )


def gpt2_config(**kw) -> GPT2Config:
    base = dict(
        vocab_size=160,
        n_embd=48,
        n_layer=2,
        n_head=4,  # head dim 12
        n_inner=70,
        n_positions=32,
        activation_function="gelu_new",
        layer_norm_epsilon=1e-5,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=1,
        eos_token_id=1,
    )
    base.update(kw)
    return GPT2Config(**base)


# name -> (model class, config factory, seed, family, dtype of the saved weights)
FIXTURES = {
    "bert_a": (BertModel, bert_a_config, 1001, "bert", torch.float32),
    "bert_a_fp16": (BertModel, bert_a_config, 1001, "bert", torch.float16),
    "bert_a_bf16": (BertModel, bert_a_config, 1001, "bert", torch.bfloat16),
    "bert_b": (BertModel, bert_b_config, 1002, "bert", torch.float32),
    "bert_mlm": (BertForMaskedLM, bert_head_config, 1003, "bert", torch.float32),
    "bert_cls": (BertForSequenceClassification, lambda: bert_head_config(num_labels=3), 1004, "bert", torch.float32),
    "distilbert_a": (DistilBertModel, distilbert_config, 2001, "distilbert", torch.float32),
    "distilbert_mlm": (DistilBertForMaskedLM, distilbert_config, 2002, "distilbert", torch.float32),
    "distilbert_cls": (DistilBertForSequenceClassification, lambda: distilbert_config(num_labels=2), 2003, "distilbert", torch.float32),
    "gpt2_a": (GPT2Model, gpt2_config, 3001, "gpt2", torch.float32),
    # n_inner None -> 4 * n_embd; head dim 9; lm_head tied to wte.
    "gpt2_lm": (GPT2LMHeadModel, lambda: gpt2_config(n_inner=None, n_embd=36, n_head=4), 3002, "gpt2", torch.float32),
}


# --------------------------------------------------------------------------- init

@torch.no_grad()
def reinit_(model: torch.nn.Module, seed: int) -> None:
    """Re-initialise every parameter (tied parameters once) with large noise."""
    g = torch.Generator().manual_seed(seed)

    def normal(p: torch.Tensor, mean: float, std: float) -> None:
        p.copy_(mean + std * torch.randn(p.shape, generator=g, dtype=torch.float32))

    # named_parameters() yields a tied parameter only once, in a fixed order.
    for name, p in model.named_parameters():
        leaf = name.rsplit(".", 1)[-1]
        lname = name.lower()
        is_norm = "layernorm" in lname or "layer_norm" in lname or ".ln_" in lname or lname.startswith("ln_") or "vocab_layer_norm" in lname
        is_embedding = p.ndim == 2 and any(k in lname for k in ("embeddings", "wte", "wpe"))
        if is_norm and leaf == "weight":
            normal(p, 1.0, 0.2)
        elif is_norm and leaf == "bias":
            normal(p, 0.0, 0.2)
        elif is_embedding:
            normal(p, 0.0, 0.5)
        elif p.ndim == 2:
            # Linear / Conv1D: std ~1.2/sqrt(fan_in) (0.14..0.2 here) keeps activations O(1).
            fan_in = p.shape[0] if "Conv1D" in type(_owner(model, name)).__name__ else p.shape[1]
            normal(p, 0.0, 1.2 / math.sqrt(fan_in))
        elif leaf == "bias":
            normal(p, 0.0, 0.2)
        else:
            raise ValueError(f"unhandled parameter {name} {tuple(p.shape)}")


def _owner(model: torch.nn.Module, param_name: str) -> torch.nn.Module:
    mod = model
    for part in param_name.split(".")[:-1]:
        mod = getattr(mod, part)
    return mod


# --------------------------------------------------------------------------- cases

def make_cases(family: str, cfg, seed: int) -> list[dict]:
    g = torch.Generator().manual_seed(seed + 77)
    vocab = cfg.vocab_size
    max_pos = cfg.n_positions if family == "gpt2" else cfg.max_position_embeddings
    type_vocab = getattr(cfg, "type_vocab_size", 0) if family == "bert" else 0

    def ids(n: int) -> list[int]:
        # Real tokens avoid the pad id 0.
        return torch.randint(1, vocab, (n,), generator=g).tolist()

    def segments(n: int, pattern_seed: int) -> list[int]:
        # Contiguous segments [0..0, 1..1, 2..2] covering every type id.
        if type_vocab <= 1:
            return [0] * n
        cuts = sorted({max(1, (n * (k + 1)) // (type_vocab + pattern_seed % 2)) for k in range(type_vocab - 1)})
        out, t = [], 0
        for i in range(n):
            while t < len(cuts) and i >= cuts[t]:
                t += 1
            out.append(min(t, type_vocab - 1))
        return out

    def case(name: str, lengths: list[int]) -> dict:
        width = max(lengths)
        rows_ids, rows_mask, rows_tt = [], [], []
        for r, n in enumerate(lengths):
            rows_ids.append(ids(n) + [PAD_ID] * (width - n))
            rows_mask.append([1] * n + [0] * (width - n))
            rows_tt.append(segments(n, r) + [0] * (width - n))
        c = {"name": name, "input_ids": rows_ids, "attention_mask": rows_mask}
        if family == "bert":
            c["token_type_ids"] = rows_tt
        return c

    mid = max_pos // 2 + 1
    return [
        case("b1_len1", [1]),
        case("b1_maxlen", [max_pos]),
        case("b3_right_padded", [11, 7, 3]),
        case("b2_mid_nopad", [mid, mid]),
    ]


def dump_cases(cases: list[dict]) -> str:
    """JSON with one line per field of each case: readable and compact."""
    parts = []
    for c in cases:
        fields = [f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in c.items()]
        parts.append(" {\n" + ",\n".join(fields) + "\n }")
    return "[\n" + ",\n".join(parts) + "\n]\n"


# --------------------------------------------------------------------------- run

@torch.no_grad()
def run_cases(model, family: str, cases: list[dict]) -> dict[str, torch.Tensor]:
    out: dict[str, torch.Tensor] = {}
    for i, c in enumerate(cases):
        kw = {
            "input_ids": torch.tensor(c["input_ids"], dtype=torch.long),
            "attention_mask": torch.tensor(c["attention_mask"], dtype=torch.long),
        }
        if family == "bert":
            kw["token_type_ids"] = torch.tensor(c["token_type_ids"], dtype=torch.long)
        if family == "gpt2":
            kw["use_cache"] = False
        res = model(**kw, output_hidden_states=True)
        if hasattr(res, "last_hidden_state") and res.last_hidden_state is not None:
            last = res.last_hidden_state
        else:  # task heads: the base model's last hidden state is the final hidden_states entry
            last = res.hidden_states[-1]
        out[f"case{i}.last_hidden_state"] = last
        if getattr(res, "pooler_output", None) is not None:
            out[f"case{i}.pooler_output"] = res.pooler_output
        if getattr(res, "logits", None) is not None:
            out[f"case{i}.logits"] = res.logits
    return {k: v.detach().to(torch.float32).contiguous() for k, v in out.items()}


def load_eager(cls, folder: Path):
    model = cls.from_pretrained(folder, attn_implementation="eager", dtype=torch.float32)
    # from_pretrained may leave tensors in the (mmap'd) file buffer at offsets that are not
    # 64-byte aligned, which sends BLAS down another kernel (last-bit differences, ~3e-7).
    # Copy every tensor into a fresh allocation so the outputs do not depend on file layout.
    with torch.no_grad():
        for p in model.parameters():
            p.data = p.data.clone()
    return model.eval()


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def config_highlights(family: str, cfg) -> dict:
    if family == "bert":
        return {
            "hidden": cfg.hidden_size, "heads": cfg.num_attention_heads,
            "head_dim": cfg.hidden_size // cfg.num_attention_heads,
            "layers": cfg.num_hidden_layers, "intermediate": cfg.intermediate_size,
            "vocab": cfg.vocab_size, "max_positions": cfg.max_position_embeddings,
            "type_vocab": cfg.type_vocab_size, "activation": cfg.hidden_act,
            "layer_norm_eps": cfg.layer_norm_eps,
            **({"num_labels": cfg.num_labels} if cfg.architectures and "SequenceClassification" in cfg.architectures[0] else {}),
        }
    if family == "distilbert":
        return {
            "hidden": cfg.dim, "heads": cfg.n_heads, "head_dim": cfg.dim // cfg.n_heads,
            "layers": cfg.n_layers, "intermediate": cfg.hidden_dim, "vocab": cfg.vocab_size,
            "max_positions": cfg.max_position_embeddings, "activation": cfg.activation,
            "layer_norm_eps": 1e-12, "sinusoidal_pos_embds": cfg.sinusoidal_pos_embds,
            **({"num_labels": cfg.num_labels} if cfg.architectures and "SequenceClassification" in cfg.architectures[0] else {}),
        }
    return {
        "hidden": cfg.n_embd, "heads": cfg.n_head, "head_dim": cfg.n_embd // cfg.n_head,
        "layers": cfg.n_layer, "intermediate": cfg.n_inner if cfg.n_inner is not None else 4 * cfg.n_embd,
        "n_inner_in_config": cfg.n_inner, "vocab": cfg.vocab_size, "max_positions": cfg.n_positions,
        "activation": cfg.activation_function, "layer_norm_eps": cfg.layer_norm_epsilon,
        "tie_word_embeddings": cfg.tie_word_embeddings,
    }


def build(name: str, out_root: Path) -> dict:
    cls, cfg_fn, seed, family, dtype = FIXTURES[name]
    torch.manual_seed(seed)
    cfg = cfg_fn()
    model = cls(cfg).eval()
    reinit_(model, seed)

    folder = out_root / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)

    if dtype != torch.float32:
        model = model.to(dtype)
    model.save_pretrained(folder, safe_serialization=True)
    gen = folder / "generation_config.json"
    if gen.exists():
        gen.unlink()  # not needed by the Swift side

    cases = make_cases(family, cfg, seed)
    (folder / "cases.json").write_text(dump_cases(cases))

    # Reference outputs from the model as reloaded from disk (float32, eager attention).
    reloaded = load_eager(cls, folder)
    expected = run_cases(reloaded, family, cases)

    # Cross-checks: the in-memory model (rounded then upcast) agrees exactly, and SDPA agrees closely.
    model = model.to(torch.float32).eval()
    model.set_attn_implementation("eager")
    direct = run_cases(model, family, cases)
    for k in expected:
        assert torch.equal(expected[k], direct[k]), f"{name}: reloaded model differs from in-memory model on {k}"
    sdpa = cls.from_pretrained(folder, attn_implementation="sdpa", dtype=torch.float32).eval()
    for k, v in run_cases(sdpa, family, cases).items():
        d = (v - expected[k]).abs().max().item()
        assert d < 1e-5, f"{name}: sdpa vs eager {k} differ by {d}"

    save_file(expected, str(folder / "expected.safetensors"), metadata={"format": "pt"})

    with safe_open(str(folder / "model.safetensors"), "pt") as f:
        keys = list(f.keys())
        dtypes = sorted({str(f.get_slice(k).get_dtype()) for k in keys})
    stats = {k: {"absmax": round(v.abs().max().item(), 4), "std": round(v.std().item(), 4)} for k, v in expected.items() if k.startswith("case1.") or k.startswith("case2.")}
    return {
        "name": name,
        "model_class": cls.__name__,
        "family": family,
        "weights_dtype": str(dtype).replace("torch.", ""),
        "config": config_highlights(family, reloaded.config),
        "seed": seed,
        "model_safetensors_sha256": sha256(folder / "model.safetensors"),
        "model_safetensors_dtypes": dtypes,
        "model_safetensors_keys": keys,
        "cases": [c["name"] for c in cases],
        "expected_keys": sorted(expected),
        "_stats": stats,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--only", nargs="*", help="subset of fixture names")
    ap.add_argument("--verbose", action="store_true", help="print keys and output magnitudes")
    args = ap.parse_args()

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    names = args.only or list(FIXTURES)
    entries = []
    for name in names:
        e = build(name, args.out)
        stats = e.pop("_stats")
        entries.append(e)
        print(f"{name}: {e['model_class']} {e['config']} weights={e['weights_dtype']}")
        if args.verbose:
            for k, s in stats.items():
                print(f"    {k}: {s}")

    if not args.only:
        manifest = {
            "generator": "Tools/make_model_fixtures.py",
            "transformers_version": transformers.__version__,
            "torch_version": torch.__version__,
            "attn_implementation": "eager",
            "notes": [
                "expected.safetensors holds float32 outputs of the model reloaded from this folder with from_pretrained",
                "(eager attention, eval mode); for *_fp16 / *_bf16 that is the rounded weights upcast to float32.",
                "Padded positions (attention_mask 0) are included as transformers computes them; they are not meaningful.",
                "GPT-2 uses position ids 0..n-1 for every row regardless of padding (right padding only).",
                "minilm/ (real all-MiniLM-L6-v2 golden outputs) is written by Tools/make_minilm_golden.py, see minilm/golden.json.",
            ],
            "fixtures": entries,
        }
        (args.out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")

    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"total size of {args.out}: {total} bytes")
    assert total < MAX_BYTES, "fixtures exceed 4 MB"


if __name__ == "__main__":
    main()
