import ArgumentParser

/// `keras-hub bench`: model forward, decoding and preset-loading throughput (DESIGN §4).
///
/// Every subcommand prints a human-readable summary on stderr and, with `--json`, one JSON object
/// as the last line on stdout with at least `median_ms` and `tokens_per_second`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure model forward, decoding and preset-loading throughput.",
        subcommands: [
            BenchForwardCommand.self,
            BenchGenerateCommand.self,
            BenchLoadCommand.self,
            // `bench tokenize` (tokenizer throughput) is owned by the tokenizer work: add
            // `BenchTokenizeCommand.self` here, in its own file in this folder.
        ])
}
