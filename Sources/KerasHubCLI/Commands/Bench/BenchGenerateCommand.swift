import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub bench generate`: greedy decoding throughput of a decoder backbone with its key/value
/// cache: the prompt in one step, then one token per step through the backbone's cached call and
/// the tied language-model head on the last position only.
struct BenchGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Time greedy decoding with the key/value cache (tokens/s, ms per token).")

    @OptionGroup var model: BenchModelOptions

    @Option(help: "Prompt tokens (processed in one step, not counted in tokens/s).")
    var promptLength: Int = 32

    @Option(help: "New tokens decoded one at a time.")
    var newTokens: Int = 64

    @Option(help: "Timed runs (after one warm-up run).")
    var runs: Int = 5

    @Flag(help: "Print one JSON object as the last line on stdout.")
    var json = false

    func validate() throws {
        guard promptLength > 0, newTokens > 0, runs > 0 else {
            throw ValidationError("--prompt-length, --new-tokens and --runs must be positive")
        }
        try CountLimits.check("--prompt-length", promptLength, CountLimits.positions)
        try CountLimits.check("--new-tokens", newTokens, CountLimits.positions)
        try CountLimits.check("--runs", runs, CountLimits.repetitions)
    }

    func run() throws {
        let backbone = try model.makeBackbone()
        let causalLM = try Self.causalLM(on: backbone, label: model.label)
        guard promptLength + newTokens <= backbone.maxSequenceLength else {
            throw CommandFailure(message: "prompt + new tokens exceed the \(backbone.maxSequenceLength) positions")
        }
        let prompt = benchTokenIds(count: promptLength, bound: backbone.vocabularySize, seed: 7)
        _ = try decode(causalLM, prompt: prompt)  // warm-up
        var perToken: [Double] = [], prefill: [Double] = []
        var generated: [Int32] = []
        for _ in 0..<runs {
            let result = try decode(causalLM, prompt: prompt)
            perToken.append(result.decodeMilliseconds / Double(newTokens))
            prefill.append(result.prefillMilliseconds)
            generated = result.tokens
        }
        let summary = BenchSummary(samples: perToken)
        let tokensPerSecond = 1000 / summary.median
        Terminal.error(String(
            format: "generate %@ prompt %d + %d new: %.2f ms/token (min %.2f, max %.2f), %.1f tokens/s; prefill %.1f ms; %d BLAS threads",
            model.label, promptLength, newTokens, summary.median, summary.minimum, summary.maximum, tokensPerSecond,
            BenchSummary(samples: prefill).median, BLAS.threadCount))
        if json {
            var report = BenchReport()
            report.add("benchmark", "generate")
            report.add("model", model.label)
            report.add("prompt_length", promptLength)
            report.add("new_tokens", newTokens)
            report.add("runs", runs)
            report.add("median_ms", summary.median)
            report.add("min_ms", summary.minimum)
            report.add("max_ms", summary.maximum)
            report.add("tokens_per_second", tokensPerSecond)
            report.add("prefill_ms", BenchSummary(samples: prefill).median)
            report.add("samples_ms", perToken)
            report.add("last_token", Int(generated.last ?? -1))
            Terminal.output(report.json)
        }
    }

    /// The family's causal LM on `backbone` (its head is tied to the token embedding).
    static func causalLM(on backbone: Backbone, label: String) throws -> CausalLM {
        guard let family = ModelFamilies.family(of: backbone),
              let descriptor = family.tasks.first(where: { $0.kind == .causalLM }) else {
            throw CommandFailure(message: "bench generate needs a decoder model; \(label) is a \(type(of: backbone)), which has no causal LM")
        }
        let context = TaskLoadContext(
            preset: label, backbone: backbone, numClasses: nil, headWeights: nil, textPreprocessor: nil, causalPreprocessor: nil,
            files: NoPresetFiles(name: label))
        guard let causalLM = try descriptor.load(context) as? CausalLM else {
            throw CommandFailure(message: "\(descriptor.className) is not a causal LM")
        }
        return causalLM
    }

    /// One greedy decode: returns the prefill and decode times and the generated ids.
    private func decode(_ model: CausalLM, prompt: [Int32])
        throws -> (prefillMilliseconds: Double, decodeMilliseconds: Double, tokens: [Int32])
    {
        var cache = try model.makeCache(batchSize: 1, capacity: prompt.count + newTokens)
        var next: Int32 = 0
        let prefill = try BenchClock.milliseconds {
            let logits = try model.nextTokenLogits(
                TokenBatch(batchSize: 1, sequenceLength: prompt.count, tokenIds: prompt), cache: &cache)
            next = Self.argmax(logits)
        }
        var tokens: [Int32] = []
        tokens.reserveCapacity(newTokens)
        let decode = try BenchClock.milliseconds {
            for _ in 0..<newTokens {
                tokens.append(next)
                let logits = try model.nextTokenLogits(TokenBatch(batchSize: 1, sequenceLength: 1, tokenIds: [next]), cache: &cache)
                next = Self.argmax(logits)
            }
        }
        return (prefill, decode, tokens)
    }

    /// The index of the largest logit of a `[1, vocabularySize]` row.
    private static func argmax(_ logits: Tensor) -> Int32 {
        logits.withUnsafeBufferPointer { values in
            var best = 0
            for index in values.indices where values[index] > values[best] { best = index }
            return Int32(best)
        }
    }
}

/// A preset with no files, for tasks built around a backbone that is already loaded.
struct NoPresetFiles: PresetFiles {
    let name: String
    func has(_ relativePath: String) -> Bool { false }
    func file(_ relativePath: String) -> URL { URL(fileURLWithPath: "/nonexistent").appendingPathComponent(relativePath) }
}
