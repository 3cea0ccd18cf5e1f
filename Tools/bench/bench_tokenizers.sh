#!/usr/bin/env bash
# Tokenizer throughput: swift-keras-hub (release build) against Hugging Face `tokenizers` and
# `sentencepiece`, on the same reproducible ~5 MB English corpus, in one run.
#
#   Tools/bench/bench_tokenizers.sh [python-with-reference-stack]
#
# Single thread: Swift tokenizes line by line; HF runs encode_batch with RAYON_NUM_THREADS=1.
# All cores: Swift's batch tokenize (Dispatch) against HF encode_batch with its default pool.
# Single-thread times are thread CPU time (robust to other load), all-cores times are wall time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PY="${1:-${REF_PYTHON:-$(cd "$(dirname "$0")/../.." && pwd)/.venv-ref/bin/python}}"
FIXTURES="$ROOT/Tests/KerasHubTokenizersTests/Fixtures"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "== corpus"
"$PY" "$ROOT/Tools/bench/tokenizers_bench.py" corpus "$WORK/corpus.txt" "$FIXTURES" --megabytes 5
wc -c -l "$WORK/corpus.txt"

echo "== build (release)"
(cd "$ROOT" && swift build -c release --scratch-path "${SCRATCH:-$ROOT/.build-bench}" --product KerasHubTokenizerBench 2>&1 | tail -1)
BIN="${SCRATCH:-$ROOT/.build-bench}/release/KerasHubTokenizerBench"

echo "== swift"
"$BIN" "$WORK/corpus.txt" "$FIXTURES" | tee "$WORK/swift.jsonl"
echo "== reference, single thread"
RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false "$PY" "$ROOT/Tools/bench/tokenizers_bench.py" run "$WORK/corpus.txt" "$FIXTURES" single | tee "$WORK/ref.jsonl"
echo "== reference, all cores"
TOKENIZERS_PARALLELISM=true "$PY" "$ROOT/Tools/bench/tokenizers_bench.py" run "$WORK/corpus.txt" "$FIXTURES" all | tee -a "$WORK/ref.jsonl"
echo "== ratios (swift / reference, MB/s)"
"$PY" "$ROOT/Tools/bench/tokenizers_bench.py" compare "$WORK/swift.jsonl" "$WORK/ref.jsonl"
