#!/usr/bin/env bash
# Runs one fuzz target for a while, at the lowest CPU priority, on its growing corpus
# ($SCRATCH/corpus/<target>, seeded from $SCRATCH/seeds/<target>, see seeds.py).
# Crashes land in $SCRATCH/crashes/<target>/; the log in $SCRATCH/logs/<target>.log.
#
#   Tools/fuzz/run.sh <target> [seconds=600] [extra libFuzzer flags...]
#   Tools/fuzz/run.sh <target> --replay FILE...   (run the target on given inputs once)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SCRATCH=${KH_FUZZ_SCRATCH:-$ROOT/.build-fuzz}
target=$1; shift
fuzzer="$SCRATCH/fuzzers/$target"
[ -x "$fuzzer" ] || { echo "no fuzzer $fuzzer: run Tools/fuzz/build.sh $target" >&2; exit 2; }
export KH_FUZZ_ROOT=$ROOT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
# Swift's own crash backtracer trips AddressSanitizer (a stack-buffer-underflow in its memory
# reader) after a Swift trap; libFuzzer's report already has the stack.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
if [ "${1:-}" = --replay ]; then
    shift
    exec "$fuzzer" -rss_limit_mb=2048 "$@"
fi
seconds=${1:-600}; shift || true
case $target in
    safetensors) max_len=100000 ;;
    vocab) max_len=65536 ;;
    h5) max_len=131072 ;;
    *) max_len=4096 ;;
esac
[ -d "$SCRATCH/seeds/$target" ] || python3 Tools/fuzz/seeds.py "$SCRATCH"
mkdir -p "$SCRATCH/corpus/$target" "$SCRATCH/crashes/$target" "$SCRATCH/logs"
exec nice -n 19 "$fuzzer" "$SCRATCH/corpus/$target" "$SCRATCH/seeds/$target" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$SCRATCH/crashes/$target/" "$@" \
    2>&1 | tee "$SCRATCH/logs/$target.log"
