import ArgumentParser

/// `keras-hub bench`: model forward, decoding, preset-loading and tokenizer throughput (DESIGN §4).
///
/// Every subcommand prints a human-readable summary on stderr and, with `--json`, one JSON object
/// as the last line on stdout with at least `median_ms` and `tokens_per_second`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure model forward, decoding, preset-loading and tokenizer throughput.",
        subcommands: [
            BenchForwardCommand.self,
            BenchGenerateCommand.self,
            BenchLoadCommand.self,
            BenchTokenizeCommand.self,
        ])
}
