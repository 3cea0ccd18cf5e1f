#!/usr/bin/env python3
"""Measure the peers (PyTorch, ONNX Runtime) on the shapes `keras-hub bench` measures.

Models are built from transformers configs with random weights (the same shapes as
`keras-hub bench --config NAME`). Prints a summary on stderr and, with --json, one JSON object
as the last stdout line with `median_ms` and `tokens_per_second` (as `keras-hub bench`).

  peers.py forward  --engine torch|onnx --config distil_bert_base_en_uncased --batch 8 --sequence-length 128
  peers.py generate --engine torch --config gpt2_base_en --prompt-length 32 --new-tokens 64
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

CONFIGS = {
    "bert_base_en_uncased": ("bert", dict(vocab_size=30522, num_hidden_layers=12, num_attention_heads=12,
                                          hidden_size=768, intermediate_size=3072, max_position_embeddings=512)),
    "distil_bert_base_en_uncased": ("distilbert", dict(vocab_size=30522, n_layers=6, n_heads=12, dim=768,
                                                      hidden_dim=3072, max_position_embeddings=512)),
    "gpt2_base_en": ("gpt2", dict(vocab_size=50257, n_layer=12, n_head=12, n_embd=768, n_inner=3072,
                                  n_positions=1024)),
}


def threads():
    return int(os.environ.get("BENCH_THREADS", os.cpu_count() or 1))


def make_model(name, lm_head=False):
    import torch
    import transformers
    kind, kwargs = CONFIGS[name]
    torch.manual_seed(0)
    if kind == "bert":
        model = transformers.BertModel(transformers.BertConfig(**kwargs), add_pooling_layer=True)
    elif kind == "distilbert":
        model = transformers.DistilBertModel(transformers.DistilBertConfig(**kwargs))
    else:
        config = transformers.GPT2Config(**kwargs)
        model = transformers.GPT2LMHeadModel(config) if lm_head else transformers.GPT2Model(config)
    try:
        model.config._attn_implementation = "sdpa"
    except Exception:
        pass
    return model.eval()


def inputs(name, batch, length):
    import torch
    vocab = CONFIGS[name][1].get("vocab_size")
    generator = torch.Generator().manual_seed(42)
    ids = torch.randint(1000, vocab, (batch, length), generator=generator)
    return ids, torch.ones_like(ids)


def time_runs(call, runs, warmup):
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def onnx_path(name, batch, length):
    directory = os.environ.get("BENCH_ONNX_CACHE", os.path.join(tempfile.gettempdir(), "keras-hub-bench-onnx"))
    os.makedirs(directory, exist_ok=True)
    return os.path.join(directory, f"{name}.onnx")


def export_onnx(name, path):
    """Exports the model once (dynamic batch and length) with the TorchScript exporter."""
    import torch

    class Wrapper(torch.nn.Module):
        """Keyword arguments only, so the tracer never binds a positional to the wrong parameter."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    model = Wrapper(make_model(name)).eval()
    ids, mask = inputs(name, 1, 16)
    with torch.no_grad():
        torch.onnx.export(
            model, (ids, mask), path, input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"},
                          "last_hidden_state": {0: "batch", 1: "length"}})


def forward(args):
    if args.engine == "torch":
        import torch
        torch.set_num_threads(threads())
        model = make_model(args.config)
        ids, mask = inputs(args.config, args.batch, args.sequence_length)
        with torch.inference_mode():
            samples = time_runs(lambda: model(input_ids=ids, attention_mask=mask), args.runs, args.warmup)
        engine = f"torch {torch.__version__}"
    else:
        import onnxruntime as ort
        path = onnx_path(args.config, args.batch, args.sequence_length)
        if not os.path.exists(path):
            export_onnx(args.config, path + ".tmp")
            os.replace(path + ".tmp", path)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads()
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        ids, mask = inputs(args.config, args.batch, args.sequence_length)
        feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
        samples = time_runs(lambda: session.run(None, feed), args.runs, args.warmup)
        engine = f"onnxruntime {ort.__version__}"
    median = statistics.median(samples)
    report = dict(benchmark="forward", engine=engine, model=args.config, batch=args.batch,
                  sequence_length=args.sequence_length, runs=args.runs, median_ms=median,
                  min_ms=min(samples), max_ms=max(samples),
                  tokens_per_second=args.batch * args.sequence_length / (median / 1000), samples_ms=samples)
    print(f"{engine} forward {args.config} {args.batch}x{args.sequence_length}: median {median:.2f} ms "
          f"(min {min(samples):.2f}, max {max(samples):.2f})", file=sys.stderr)
    if args.json:
        print(json.dumps(report))


def generate(args):
    """Greedy decoding with the KV cache (past_key_values); tokens/s over the new tokens only."""
    import torch
    torch.set_num_threads(threads())
    model = make_model(args.config, lm_head=True)
    ids, _ = inputs(args.config, 1, args.prompt_length)

    def decode():
        with torch.inference_mode():
            start = time.perf_counter()
            out = model(input_ids=ids, use_cache=True, logits_to_keep=1)
            past = out.past_key_values
            token = out.logits[:, -1, :].argmax(-1, keepdim=True)
            prefill = time.perf_counter() - start
            start = time.perf_counter()
            for _ in range(args.new_tokens):
                out = model(input_ids=token, past_key_values=past, use_cache=True)
                past = out.past_key_values
                token = out.logits[:, -1, :].argmax(-1, keepdim=True)
            return prefill * 1000, (time.perf_counter() - start) * 1000

    decode()  # warm-up
    per_token, prefill = [], []
    for _ in range(args.runs):
        p, d = decode()
        prefill.append(p)
        per_token.append(d / args.new_tokens)
    median = statistics.median(per_token)
    report = dict(benchmark="generate", engine=f"torch {torch.__version__}", model=args.config,
                  prompt_length=args.prompt_length, new_tokens=args.new_tokens, runs=args.runs,
                  median_ms=median, min_ms=min(per_token), max_ms=max(per_token),
                  tokens_per_second=1000 / median, prefill_ms=statistics.median(prefill), samples_ms=per_token)
    print(f"torch generate {args.config}: {median:.2f} ms/token, {1000 / median:.1f} tokens/s", file=sys.stderr)
    if args.json:
        print(json.dumps(report))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("forward")
    f.add_argument("--engine", choices=["torch", "onnx"], required=True)
    f.add_argument("--config", choices=sorted(CONFIGS), required=True)
    f.add_argument("--batch", type=int, default=1)
    f.add_argument("--sequence-length", type=int, default=128)
    f.add_argument("--runs", type=int, default=10)
    f.add_argument("--warmup", type=int, default=2)
    f.add_argument("--json", action="store_true")
    g = sub.add_parser("generate")
    g.add_argument("--engine", choices=["torch"], default="torch")
    g.add_argument("--config", choices=["gpt2_base_en"], default="gpt2_base_en")
    g.add_argument("--prompt-length", type=int, default=32)
    g.add_argument("--new-tokens", type=int, default=64)
    g.add_argument("--runs", type=int, default=5)
    g.add_argument("--json", action="store_true")
    args = parser.parse_args()
    forward(args) if args.command == "forward" else generate(args)


if __name__ == "__main__":
    main()
