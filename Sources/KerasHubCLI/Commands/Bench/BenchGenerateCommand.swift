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
    }

    func run() throws {
        guard let backbone = try model.makeBackbone() as? GPT2Backbone else {
            throw CommandFailure(message: "bench generate needs a decoder backbone (GPT-2)")
        }
        guard promptLength + newTokens <= backbone.maxSequenceLength else {
            throw CommandFailure(message: "prompt + new tokens exceed the \(backbone.maxSequenceLength) positions")
        }
        let prompt = benchTokenIds(count: promptLength, bound: backbone.vocabularySize, seed: 7)
        _ = try decode(backbone, prompt: prompt)  // warm-up
        var perToken: [Double] = [], prefill: [Double] = []
        var generated: [Int32] = []
        for _ in 0..<runs {
            let result = try decode(backbone, prompt: prompt)
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

    /// One greedy decode: returns the prefill and decode times and the generated ids.
    private func decode(_ backbone: GPT2Backbone, prompt: [Int32])
        throws -> (prefillMilliseconds: Double, decodeMilliseconds: Double, tokens: [Int32])
    {
        var cache = backbone.makeCache(batchSize: 1, capacity: prompt.count + newTokens)
        var next: Int32 = 0
        let prefill = try BenchClock.milliseconds {
            let output = try backbone(TokenBatch(batchSize: 1, sequenceLength: prompt.count, tokenIds: prompt), cache: &cache)
            next = try greedyNext(backbone, output.sequenceOutput, position: prompt.count - 1)
        }
        var tokens: [Int32] = []
        tokens.reserveCapacity(newTokens)
        let decode = try BenchClock.milliseconds {
            for _ in 0..<newTokens {
                tokens.append(next)
                let output = try backbone(TokenBatch(batchSize: 1, sequenceLength: 1, tokenIds: [next]), cache: &cache)
                next = try greedyNext(backbone, output.sequenceOutput, position: 0)
            }
        }
        return (prefill, decode, tokens)
    }

    /// The argmax of the tied LM head's logits at one position of `hidden` `[1, length, hiddenDim]`.
    private func greedyNext(_ backbone: GPT2Backbone, _ hidden: Tensor, position: Int) throws -> Int32 {
        let width = hidden.shape[2]
        let row = try Tensor(
            shape: [1, width], scalars: hidden.withUnsafeBufferPointer { Array($0[(position * width)..<((position + 1) * width)]) })
        let logits = try backbone.tokenEmbedding.reverse(row)
        return logits.withUnsafeBufferPointer { values in
            var best = 0
            for index in values.indices where values[index] > values[best] { best = index }
            return Int32(best)
        }
    }
}
