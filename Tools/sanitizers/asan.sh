#!/usr/bin/env bash
# Runs the unit test suite, then the CLI on the bundled preset, under AddressSanitizer with
# LeakSanitizer, in their own scratch path. Any report fails the run.
#
#   Tools/sanitizers/asan.sh [swift test --filter REGEX]
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${KH_ASAN_SCRATCH:-.build-asan}
NICE="nice -n ${KH_NICE:-10}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Tools/sanitizers/lsan.supp:print_suppressions=0}

echo "== swift test --sanitize=address $*"
$NICE swift test --scratch-path "$SCRATCH" --sanitize=address "$@"

echo "== keras-hub under AddressSanitizer + LeakSanitizer"
$NICE swift build --scratch-path "$SCRATCH" --sanitize=address --product keras-hub
CLI="$(swift build --scratch-path "$SCRATCH" --show-bin-path)/keras-hub"
$NICE "$CLI" embed "The quick brown fox." "A second sentence, with ünïcödé." > /dev/null
printf '"Hello, world!"\n{"text": "caf\xe9"}\n' | $NICE "$CLI" tokenize --preset all_minilm_l6_v2_en > /dev/null
printf '[101, 7592, 102]\n' | $NICE "$CLI" detokenize --preset all_minilm_l6_v2_en > /dev/null
printf '{"token_ids": [101, 7592, 102], "padding_mask": [1, 1, 0]}\n' | $NICE "$CLI" encode --preset all_minilm_l6_v2_en > /dev/null
# A bad line must fail cleanly (exit 1), not crash or leak.
if printf '{"token_ids": [101, 99999]}\n' | $NICE "$CLI" encode --preset all_minilm_l6_v2_en > /dev/null 2>&1; then
    echo "expected exit 1 for a bad encode line" >&2; exit 1
elif [ $? -ne 1 ]; then
    echo "bad encode line did not exit 1" >&2; exit 1
fi
echo "asan: no findings"
