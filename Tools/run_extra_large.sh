#!/usr/bin/env bash
# The extra-large test tier (DESIGN §5) against a local preset mirror:
#   1. makes the mirror with Tools/make_mirror.py (cached: presets already there are not regenerated),
#   2. serves it with `python3 -m http.server` bound to 127.0.0.1 on a free port,
#   3. runs ExtraLargePresetTests with KERAS_HUB_RUN_EXTRA_LARGE=1 KERAS_HUB_MIRROR=http://127.0.0.1:PORT,
#   4. stops the server (trap), whatever happened.
# Not part of .ci/run: the mirror is ~8 GB up to gpt2_medium_en (gpt2_large_en adds 3.1 GB,
# gpt2_extra_large_en 6.2 GB).
#
# Usage: Tools/run_extra_large.sh [options]
#   --dir DIR              mirror directory (default ~/.cache/keras-hub-swift-mirror)
#   --max-parameters N     skip presets above N parameters (default 400000000: everything up to
#                          gpt2_medium_en; 0 = no limit)
#   --presets a,b          only these presets
#   --python PY            Python with torch + transformers (default .venv-ref/bin/python, else python3)
#   --scratch-path DIR     SwiftPM scratch path (default .build)
#   --release              build and run the tests in release mode
#   --report FILE          also write the result table there (default <dir>/last-run.md)
#   --no-generate          serve the mirror as it is
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${HOME}/.cache/keras-hub-swift-mirror"
MAX_PARAMETERS=400000000
PRESETS=""
PYTHON=""
SCRATCH=".build"
CONFIGURATION=()
REPORT=""
GENERATE=1

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --max-parameters) MAX_PARAMETERS="$2"; shift 2 ;;
    --presets) PRESETS="$2"; shift 2 ;;
    --python) PYTHON="$2"; shift 2 ;;
    --scratch-path) SCRATCH="$2"; shift 2 ;;
    --release) CONFIGURATION=(-c release); shift ;;
    --report) REPORT="$2"; shift 2 ;;
    --no-generate) GENERATE=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$PYTHON" ]; then
  if [ -x "$ROOT/.venv-ref/bin/python" ]; then PYTHON="$ROOT/.venv-ref/bin/python"; else PYTHON=python3; fi
fi
REPORT="${REPORT:-$DIR/last-run.md}"
cd "$ROOT"
started=$(date +%s)

if [ "$GENERATE" = 1 ]; then
  args=(--out "$DIR")
  [ "$MAX_PARAMETERS" != 0 ] && args+=(--max-parameters "$MAX_PARAMETERS")
  [ -n "$PRESETS" ] && args+=(--presets "$PRESETS")
  echo "== making the mirror in $DIR"
  "$PYTHON" Tools/make_mirror.py "${args[@]}"
fi
[ -d "$DIR" ] || { echo "no mirror at $DIR" >&2; exit 1; }

# Port 0: the server picks a free port and prints it; no race with another process.
SERVER_LOG="$(mktemp -t keras-hub-mirror-server.XXXXXX)"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$DIR" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -f "$SERVER_LOG"
}
trap cleanup EXIT INT TERM

PORT=""
for _ in $(seq 1 100); do
  PORT="$(sed -n 's/.*port \([0-9][0-9]*\).*/\1/p' "$SERVER_LOG" | head -n 1)"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; echo "the mirror server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { echo "the mirror server did not report its port" >&2; exit 1; }
echo "== serving $DIR on http://127.0.0.1:$PORT (pid $SERVER_PID)"

export KERAS_HUB_RUN_EXTRA_LARGE=1
export KERAS_HUB_MIRROR="http://127.0.0.1:$PORT"
export KERAS_HUB_EXTRA_LARGE_REPORT="$REPORT"
[ "$MAX_PARAMETERS" != 0 ] && export KERAS_HUB_EXTRA_LARGE_MAX_PARAMETERS="$MAX_PARAMETERS"
[ -n "$PRESETS" ] && export KERAS_HUB_EXTRA_LARGE_PRESETS="$PRESETS"

status=0
swift test --scratch-path "$SCRATCH" "${CONFIGURATION[@]}" --filter ExtraLargePresetTests || status=$?
echo "== extra-large tier finished with status $status in $(( $(date +%s) - started )) s; table in $REPORT"
exit "$status"
