#!/usr/bin/env python3
"""transformers' greedy generate() throughput on a GPT-2 124M-shaped model with random weights.

Shape: n_embd 768, 12 layers, 12 heads, vocab 50257, n_positions 1024 (GPT2Config() defaults).
Workload: one 32-token prompt + 64 new tokens, greedy, KV cache (use_cache=True), eos disabled so
exactly 64 tokens are generated; torch.inference_mode, eager attention, float32, threads = cores
(or --threads). Reports new tokens per second over the whole generate() call (prompt included),
the median of --runs timed runs after one warm-up. The Swift counterpart is
`swift run -c release KerasHubGenerateBench` (same shape and workload).

Run:  .venv-ref/bin/python Tools/bench/bench_generate.py [--threads N] [--runs R]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

PROMPT_LENGTH = 32
NEW_TOKENS = 64


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config()).eval()
    model.config._attn_implementation = "eager"
    prompt = torch.randint(0, model.config.vocab_size, (1, PROMPT_LENGTH))

    def run() -> float:
        start = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(
                prompt, attention_mask=torch.ones_like(prompt), do_sample=False, num_beams=1,
                max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, eos_token_id=None, pad_token_id=0,
                use_cache=True)
        elapsed = time.perf_counter() - start
        assert out.shape[1] == PROMPT_LENGTH + NEW_TOKENS
        return elapsed

    run()  # warm-up
    times = [run() for _ in range(args.runs)]
    median = statistics.median(times)
    print(json.dumps({
        "implementation": "transformers", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "prompt_tokens": PROMPT_LENGTH, "new_tokens": NEW_TOKENS, "runs": args.runs,
        "median_seconds": round(median, 4), "tokens_per_second": round(NEW_TOKENS / median, 2),
    }))


if __name__ == "__main__":
    main()
