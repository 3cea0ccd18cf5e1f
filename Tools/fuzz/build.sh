#!/usr/bin/env bash
# Builds the libFuzzer targets of Tools/fuzz/targets into $SCRATCH/fuzzers/ (default .build-fuzz).
#
# The package's library modules are built by SwiftPM with coverage instrumentation and
# AddressSanitizer (-sanitize=fuzzer,address) into their own scratch path; each target is one
# harness file (plus Tools/fuzz/common) compiled with swiftc and linked against those objects.
# Nothing in Package.swift changes.
#
#   Tools/fuzz/build.sh [target ...]     (default: every target)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SCRATCH=${KH_FUZZ_SCRATCH:-$ROOT/.build-fuzz}
SANITIZERS=${KH_FUZZ_SANITIZERS:-fuzzer,address}
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=($(cd Tools/fuzz/targets && ls *.swift | sed 's/\.swift$//'))
fi

swift build --scratch-path "$SCRATCH" --target KerasHub -Xswiftc "-sanitize=$SANITIZERS"
BIN=$(swift build --scratch-path "$SCRATCH" --show-bin-path)
mkdir -p "$SCRATCH/fuzzers"
# Harnesses reach `package` declarations, so they join the root package's -package-name (SwiftPM
# derives it from the checkout's directory name); read it from the build SwiftPM just planned.
PACKAGE_NAME=$(python3 -c '
import re, sys
text = open(sys.argv[1]).read()
for line in text.splitlines():
    if "\"-module-name\",\"KerasHubModels\"" in line:
        match = re.search(r"\"-package-name\",\"([^\"]+)\"", line)
        if match: print(match.group(1)); break
' "$SCRATCH/debug.yaml")

# Every object of the library targets and their dependencies (no executables, no tests).
OBJECTS=()
while IFS= read -r object; do OBJECTS+=("$object"); done < <(
    find "$BIN" -name '*.o' -path '*.build/*' \
        ! -path '*Tests.build/*' ! -path '*/KerasHubCLI.build/*' ! -path '*Bench.build/*' \
        ! -path '*/ArgumentParser*.build/*' | sort)

for target in "${TARGETS[@]}"; do
    extra=()
    # The JSON Lines reader lives in the CLI executable; its one file is compiled in.
    [ "$target" = jsonlines ] && extra+=("$ROOT/Sources/KerasHubCLI/IO/JSONLines.swift")
    # The harness imports swift-crypto (for the digests its fake server states).
    [ "$target" = download ] && extra+=(-I "$BIN/Modules")
    echo "fuzz target: $target"
    swiftc -sanitize="$SANITIZERS" -parse-as-library -g -module-name "Fuzz_$target" ${PACKAGE_NAME:+-package-name "$PACKAGE_NAME"} \
        -I "$BIN/Modules" -I "$BIN" \
        -Xcc -fmodule-map-file="$ROOT/Sources/COpenBLAS/module.modulemap" \
        -Xcc -fmodule-map-file="$ROOT/Sources/CHDF5/module.modulemap" $(pkg-config --cflags hdf5 | sed 's/-I/-Xcc -I/g') \
        -Xcc -fmodule-map-file="$BIN/CSentencePiece.build/module.modulemap" \
        -Xcc -I"$ROOT/Sources/CSentencePiece/include" \
        "Tools/fuzz/targets/$target.swift" Tools/fuzz/common/*.swift "${extra[@]}" \
        "${OBJECTS[@]}" -lsentencepiece -lopenblas $(pkg-config --libs hdf5) -lstdc++ \
        -o "$SCRATCH/fuzzers/$target"
done
