import ArgumentParser

/// `--on-error`, `--max-errors` and `--id-field`: how a JSON Lines worker treats a bad input line
/// and the ids its caller threads through (DESIGN §4, §7).
struct RecordOptions: ParsableArguments {
    /// What a bad input line does to the run.
    enum ErrorPolicy: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Stop with exit status 1, naming the line.
        case fail
        /// Write `{"error": ..., "line": N}` in the line's place and go on.
        case record
    }

    /// The largest `--max-errors`.
    static let maximumMaxErrors = 1 << 40

    @Option(help: "On a bad input line: fail (exit 1, naming the line), or record it as {\"error\": ..., \"line\": N} in its place and go on.")
    var onError: ErrorPolicy = .fail

    @Option(help: "With --on-error record: stop with exit status 1 once more than this many lines are bad (default: no limit).")
    var maxErrors: Int?

    @Option(help: "Copy this field of each input object into its output (outputs are then JSON objects).")
    var idField: String?

    mutating func validate() throws {
        if let maxErrors {
            guard onError == .record else { throw ValidationError("--max-errors needs --on-error record") }
            guard (0...Self.maximumMaxErrors).contains(maxErrors) else {
                throw ValidationError("--max-errors must be between 0 and \(Self.maximumMaxErrors), not \(maxErrors)")
            }
        }
        if let idField, idField.isEmpty { throw ValidationError("--id-field must name a field, not be empty") }
    }
}
