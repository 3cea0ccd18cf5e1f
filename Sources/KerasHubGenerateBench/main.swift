// Greedy generation throughput on a GPT-2 124M-shaped model with random weights, the Swift side of
// Tools/bench/bench_generate.py: a 32-token prompt + 64 new tokens, KV cache, median of 5 timed
// runs after a warm-up. Threads: OPENBLAS_NUM_THREADS or all cores.
// Run: swift run -c release KerasHubGenerateBench [--runs R]
import Foundation
import KerasHubLayers
import KerasHubModels
import KerasHubTensor

let promptLength = 32, newTokens = 64
var runs = 5
if let index = CommandLine.arguments.firstIndex(of: "--runs"), index + 1 < CommandLine.arguments.count,
   let value = Int(CommandLine.arguments[index + 1]) {
    runs = max(1, value)
}

do {
    let backbone = try GPT2Backbone(
        vocabularySize: 50257, numLayers: 12, numHeads: 12, hiddenDim: 768, intermediateDim: 3072,
        maxSequenceLength: 1024, weights: .random(seed: 0))
    let model = GPT2CausalLM(backbone: backbone)
    var generator = SplitMix64(seed: 1)
    let prompt = (0..<promptLength).map { _ in Int32(generator.next() % 50257) }

    func run() throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let output = try model.generate(tokenIds: [prompt], maxLength: promptLength + newTokens)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard output[0].count == promptLength + newTokens else { fatalError("generated \(output[0].count - promptLength) tokens") }
        return elapsed
    }

    _ = try run()  // warm-up
    let times = try (0..<runs).map { _ in try run() }.sorted()
    let median = times[times.count / 2]
    print("{\"implementation\": \"swift-keras-hub\", \"threads\": \(BLAS.threadCount), \"prompt_tokens\": \(promptLength), "
        + "\"new_tokens\": \(newTokens), \"runs\": \(runs), \"median_seconds\": \(String(format: "%.4f", median)), "
        + "\"tokens_per_second\": \(String(format: "%.2f", Double(newTokens) / median))}")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
