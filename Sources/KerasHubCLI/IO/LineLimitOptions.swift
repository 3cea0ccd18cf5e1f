import ArgumentParser

/// `--max-line-bytes`, shared by every command that reads JSON Lines.
struct LineLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-line-bytes"),
            help: "The longest JSON Lines input line accepted, in bytes; a longer line is refused before it is parsed.")
    var maxLineBytes: Int = JSONLinesInput.defaultMaxLineBytes

    mutating func validate() throws {
        guard (1...JSONLinesInput.maximumMaxLineBytes).contains(maxLineBytes) else {
            throw ValidationError("--max-line-bytes must be between 1 and \(JSONLinesInput.maximumMaxLineBytes), not \(maxLineBytes)")
        }
    }
}
