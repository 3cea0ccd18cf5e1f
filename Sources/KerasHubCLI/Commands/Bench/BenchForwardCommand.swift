import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub bench forward`: milliseconds per backbone forward over a `[batch, sequence-length]` batch.
struct BenchForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Time the backbone forward pass (median, min and max ms; tokens/s).")

    @OptionGroup var model: BenchModelOptions

    @Option(help: "Sequences per batch.")
    var batch: Int = 1

    @Option(help: "Tokens per sequence.")
    var sequenceLength: Int = 128

    @Option(help: "Timed runs (after the warm-up runs).")
    var runs: Int = 10

    @Option(help: "Untimed warm-up runs.")
    var warmup: Int = 2

    @Flag(help: "Print one JSON object as the last line on stdout.")
    var json = false

    func validate() throws {
        guard batch > 0, sequenceLength > 0, runs > 0, warmup >= 0 else {
            throw ValidationError("--batch, --sequence-length and --runs must be positive")
        }
        try CountLimits.check("--batch", batch, CountLimits.batch)
        try CountLimits.check("--sequence-length", sequenceLength, CountLimits.positions)
        try CountLimits.check("--runs", runs, CountLimits.repetitions)
        try CountLimits.check("--warmup", warmup, CountLimits.repetitions)
    }

    func run() throws {
        let backbone = try model.makeBackbone()
        let ids = benchTokenIds(count: batch * sequenceLength, bound: benchVocabularySize(backbone), seed: 42)
        let inputs = try TokenBatch(batchSize: batch, sequenceLength: sequenceLength, tokenIds: ids)
        for _ in 0..<warmup { _ = try backbone(inputs) }
        var samples: [Double] = []
        for _ in 0..<runs {
            samples.append(try BenchClock.milliseconds { _ = try backbone(inputs) })
        }
        let summary = BenchSummary(samples: samples)
        let tokensPerSecond = Double(batch * sequenceLength) / (summary.median / 1000)
        // Peak resident memory of the whole process (load and every forward) against the weights
        // held as float32: the memory target is stated as that ratio plus activations.
        let peak = benchPeakRSSKiB()
        let weightMiB = Double(backbone.parameterCount * 4) / (1024 * 1024)
        Terminal.error(String(
            format: "forward %@ batch %d x %d: median %.2f ms (min %.2f, max %.2f) over %d runs, %.0f tokens/s, %d BLAS threads; peak RSS %@ (float32 weights %.1f MiB)",
            model.label, batch, sequenceLength, summary.median, summary.minimum, summary.maximum, runs,
            tokensPerSecond, BLAS.threadCount, peak.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "unknown",
            weightMiB))
        if json {
            var report = BenchReport()
            report.add("benchmark", "forward")
            report.add("model", model.label)
            report.add("batch", batch)
            report.add("sequence_length", sequenceLength)
            report.add("runs", runs)
            report.add("median_ms", summary.median)
            report.add("min_ms", summary.minimum)
            report.add("max_ms", summary.maximum)
            report.add("tokens_per_second", tokensPerSecond)
            report.add("samples_ms", samples)
            if let peak { report.add("peak_rss_kib", peak) }
            report.add("weights_mib", weightMiB)
            Terminal.output(report.json)
        }
    }
}
