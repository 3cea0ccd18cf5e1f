#!/usr/bin/env bash
# Runs the concurrency tests (one model / tokenizer shared by many tasks) under ThreadSanitizer,
# in their own scratch path. Exit status: the test run's; any data race report fails it.
#
#   Tools/sanitizers/tsan.sh [extra swift test flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${KH_TSAN_SCRATCH:-.build-tsan}
FILTER=${KH_TSAN_FILTER:-ConcurrencyTests|ParallelTests|TensorBufferCacheTests}
# halt_on_error makes a race fail the run instead of only printing a report.
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
nice -n "${KH_NICE:-10}" swift test --scratch-path "$SCRATCH" --sanitize=thread --filter "$FILTER" "$@"
