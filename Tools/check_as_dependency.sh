#!/usr/bin/env bash
# Builds a throwaway package that depends on this one (by path) and runs it from another working
# directory: the bundled preset and vocabularies must load through SwiftPM resources, with no network.
# Usage: Tools/check_as_dependency.sh   (takes a few minutes: a fresh build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/App"
cat > "$work/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "dependency-check",
    dependencies: [.package(path: "$root")],
    targets: [.executableTarget(name: "App", dependencies: [.product(name: "KerasHub", package: "$(basename "$root")")])]
)
SWIFT
cat > "$work/Sources/App/main.swift" <<'SWIFT'
import KerasHub
let embedder = try BertTextEmbedder.fromPreset("all_minilm_l6_v2_en")
let vectors = try embedder.embed(["A man is eating food.", "A man is eating a piece of bread."])
let similarity = BertTextEmbedder.similarity(vectors[0], vectors[1])
let ids = try Tokenizer.fromPreset("gpt2_base_en").tokenize("The quick brown fox.")
print("similarity \(similarity), gpt2 ids \(ids)")
guard abs(similarity - 0.7553) < 1e-3, ids == [464, 2068, 7586, 21831, 13] else { fatalError("unexpected results") }
SWIFT
(cd "$work" && swift build --scratch-path "$work/.build" 2>&1 | tail -1)
(cd / && KERAS_HUB_OFFLINE=1 KERAS_HUB_CACHE="$work/cache" "$work/.build/debug/App")
echo "ok: the package works as a dependency, from any working directory, offline"
