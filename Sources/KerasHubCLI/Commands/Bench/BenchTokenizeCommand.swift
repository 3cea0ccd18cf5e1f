import ArgumentParser
import Dispatch
import Foundation
import KerasHub

/// `keras-hub bench tokenize`: tokenizer throughput over a text file, one thread or several.
struct BenchTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Measure tokenizer throughput (MB/s and tokens/s) over a text file, one line per text.")

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String

    @Option(help: "A UTF-8 text file; each line is tokenized as one text.")
    var input: String

    @Option(help: "Worker threads (1 = single thread).")
    var threads: Int = 1

    @Option(help: "Timed runs after one warm-up run.")
    var runs: Int = 5

    @Flag(help: "Print one JSON object as the last line on stdout.")
    var json = false

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
    }

    func run() throws {
        let tokenizer = try Tokenizer.fromPreset(preset)
        guard let data = FileManager.default.contents(atPath: input) else {
            throw CommandFailure(message: "\(input): cannot read input file")
        }
        // Split on scalars, so that "\r\n" (one `Character`) ends a line too.
        let lines = String(decoding: data, as: UTF8.self).unicodeScalars.split(separator: "\n")
            .map { String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0)) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw CommandFailure(message: "\(input): no text lines") }
        // The lines split into `threads` contiguous chunks, one per worker.
        let chunkSize = (lines.count + threads - 1) / threads
        let chunks = stride(from: 0, to: lines.count, by: chunkSize).map { Array(lines[$0..<min(lines.count, $0 + chunkSize)]) }
        var tokenCount = 0
        func pass() -> Int {
            let counts = TokenCounts(chunks.count)
            DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
                var total = 0
                for line in chunks[index] { total += tokenizer.base.tokenize(line).count }
                counts.set(index, total)
            }
            return counts.total
        }
        tokenCount = pass()  // warm-up (fills caches)
        let samples = (0..<runs).map { _ in BenchClock.milliseconds { _ = pass() } }
        let summary = BenchSummary(samples: samples)
        let megabytes = Double(data.count) / 1e6
        let seconds = summary.median / 1000
        Terminal.error(String(
            format: "tokenize %@ with %d thread(s): median %.1f ms (min %.1f, max %.1f), %.2f MB/s, %.0f tokens/s, %d tokens",
            preset, threads, summary.median, summary.minimum, summary.maximum, megabytes / seconds,
            Double(tokenCount) / seconds, tokenCount))
        if json {
            var report = BenchReport()
            report.add("benchmark", "tokenize")
            report.add("model", preset)
            report.add("threads", threads)
            report.add("median_ms", summary.median)
            report.add("min_ms", summary.minimum)
            report.add("max_ms", summary.maximum)
            report.add("tokens", tokenCount)
            report.add("mb_per_second", megabytes / seconds)
            report.add("tokens_per_second", Double(tokenCount) / seconds)
            Terminal.output(report.json)
        }
    }
}

/// Per-worker token counts written from concurrent workers.
private final class TokenCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]
    init(_ count: Int) { counts = Array(repeating: 0, count: count) }
    func set(_ index: Int, _ value: Int) { lock.lock(); counts[index] = value; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return counts.reduce(0, +) }
}
