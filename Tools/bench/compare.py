#!/usr/bin/env python3
"""Ours (`keras-hub bench`) against PyTorch and ONNX Runtime on the same shapes, and the OpenBLAS
sgemm ceiling, measured alternately in one run (ours, torch, onnx, sgemm; repeated for --rounds
rounds), each engine in its own process after warm-up. Prints a table of medians and ratios.

  Tools/bench/compare.py                       # everything (builds ours in release first)
  Tools/bench/compare.py --models distil_bert_base_en_uncased --shapes 8x128 --rounds 3
  Tools/bench/compare.py --generate-only

Python: the reference venv (.venv-ref at the repository root, or $BENCH_PYTHON) with torch, transformers,
onnx and onnxruntime. The sgemm ceiling is a small C loop (sgemm_ceiling.c) linked against the
system OpenBLAS that swift-keras-hub uses, run in the same environment as ours.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ENCODERS = {  # name: (layers, hidden, intermediate)
    "distil_bert_base_en_uncased": (6, 768, 3072),
    "bert_base_en_uncased": (12, 768, 3072),
}


def python():
    for candidate in (os.environ.get("BENCH_PYTHON"), str(pathlib.Path(__file__).resolve().parents[2] / ".venv-ref/bin/python"), sys.executable):
        if candidate and os.path.exists(candidate):
            return candidate


def run_json(command, env=None):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}\n")
        return None
    lines = [line for line in result.stdout.strip().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def encoder_flops(name, batch, length):
    layers, hidden, inner = ENCODERS[name]
    tokens = batch * length
    projections = 2 * tokens * (4 * hidden * hidden + 2 * hidden * inner)
    attention = 2 * 2 * batch * length * length * hidden
    return layers * (projections + attention)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=",".join(ENCODERS))
    parser.add_argument("--shapes", default="1x128,8x128,1x512")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (samples = rounds x runs)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per process and round")
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--prompt-length", type=int, default=32)
    parser.add_argument("--skip-onnx", action="store_true")
    parser.add_argument("--skip-torch", action="store_true")
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--scratch-path", default=os.path.join(ROOT, ".build-perf"))
    args = parser.parse_args()

    if not args.no_build:
        subprocess.run(["swift", "build", "--scratch-path", args.scratch_path, "-c", "release", "--product", "keras-hub"],
                       cwd=ROOT, check=True)
    ours = os.path.join(args.scratch_path, "release", "keras-hub")
    work = tempfile.mkdtemp(prefix="keras-hub-bench-")
    ceiling = os.path.join(work, "sgemm_ceiling")
    subprocess.run(["cc", "-O2", os.path.join(HERE, "sgemm_ceiling.c"), "-lopenblas", "-o", ceiling], check=True)
    py, peers = python(), os.path.join(HERE, "peers.py")
    # numpy/torch bring their own BLAS; OPENBLAS_CORETYPE/L2_SIZE are for the system OpenBLAS only.
    peer_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    engines = ["ours"] + ([] if args.skip_torch else ["torch"]) + ([] if args.skip_onnx else ["onnx"])
    rows = []

    if not args.generate_only:
        for name in args.models.split(","):
            for shape in args.shapes.split(","):
                batch, length = (int(x) for x in shape.split("x"))
                samples = {engine: [] for engine in engines + ["sgemm"]}
                for round_ in range(args.rounds):
                    for engine in engines:
                        common = ["--config", name, "--batch", str(batch), "--sequence-length", str(length),
                                  "--runs", str(args.runs), "--json"]
                        if engine == "ours":
                            report = run_json([ours, "bench", "forward", *common])
                        else:
                            report = run_json([py, peers, "forward", "--engine", engine, *common], env=peer_env)
                        if report:
                            samples[engine] += report["samples_ms"]
                    report = run_json([ceiling, str(batch * length), "5"])
                    if report:
                        samples["sgemm"].append(report["gflops"])
                    print(f"  {name} {shape} round {round_ + 1}: " + ", ".join(
                        f"{e} {statistics.median(s):.1f}" for e, s in samples.items() if s), file=sys.stderr)
                rows.append((name, shape, batch * length, encoder_flops(name, batch, length), samples))

    generate = None
    if not args.skip_generate:
        samples = {"ours": [], "torch": []}
        for round_ in range(args.rounds):
            common = ["--config", "gpt2_base_en", "--prompt-length", str(args.prompt_length),
                      "--new-tokens", str(args.new_tokens), "--runs", str(args.runs), "--json"]
            for engine in samples:
                command = [ours, "bench", "generate", *common] if engine == "ours" else \
                    [py, peers, "generate", "--engine", "torch", *common]
                report = run_json(command, env=None if engine == "ours" else peer_env)
                if report:
                    samples[engine] += report["samples_ms"]
            print(f"  gpt2 decode round {round_ + 1}: " + ", ".join(
                f"{e} {statistics.median(s):.2f} ms/token" for e, s in samples.items() if s), file=sys.stderr)
        generate = samples

    print()
    print(f"threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, cores={os.cpu_count()}; "
          f"medians of {args.rounds} rounds x {args.runs} runs, alternating")
    header = f"{'model':<30}{'shape':>7}{'ours ms':>10}{'torch ms':>10}{'onnx ms':>10}{'x torch':>9}{'x onnx':>8}" \
             f"{'GFLOP/s':>9}{'sgemm':>8}{'% sgemm':>9}"
    print(header)
    print("-" * len(header))
    for name, shape, tokens, flops, samples in rows:
        med = {e: statistics.median(s) if s else float("nan") for e, s in samples.items()}
        onnx, torch_ms = med.get("onnx", float("nan")), med.get("torch", float("nan"))
        gflops = flops / (med["ours"] / 1000) / 1e9
        print(f"{name:<30}{shape:>7}{med['ours']:>10.1f}{torch_ms:>10.1f}{onnx:>10.1f}"
              f"{torch_ms / med['ours']:>8.2f}x{onnx / med['ours']:>7.2f}x"
              f"{gflops:>9.1f}{med['sgemm']:>8.1f}{100 * gflops / med['sgemm']:>8.0f}%")
    if generate:
        ours_ms, torch_ms = statistics.median(generate["ours"]), statistics.median(generate["torch"])
        print(f"\ngpt2_base_en decode (prompt {args.prompt_length}, {args.new_tokens} new tokens): "
              f"ours {1000 / ours_ms:.1f} tokens/s, torch {1000 / torch_ms:.1f} tokens/s, "
              f"ratio {torch_ms / ours_ms:.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
