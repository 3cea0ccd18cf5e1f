import Foundation
import KerasHub

/// One command's answer for one input, as compact JSON text.
enum RenderedOutput {
    /// A JSON object (`{...}`); an id is added to it as one more key.
    case object(String)
    /// Any other JSON value; with `--id-field` it is written as `{"<name>": value, "<id field>": id}`.
    case value(String, name: String)
}

/// What became of one input: its output, or why it has none.
enum LineOutcome {
    case success(RenderedOutput)
    case failure(String)
}

/// The batch loop of every JSON Lines command: reads the input in batches, parses each line into
/// an item, runs the model on the batch, and writes one output line per input line in input
/// order, flushing after each batch (DESIGN §4, §7).
///
/// A bad line (not JSON, the wrong shape, refused by the model) fails the run naming the line, or
/// with `--on-error record` becomes `{"error": ..., "line": N}` in its place, so the output stays
/// line-aligned with the input. When a batch fails as a whole, its items are run one at a time,
/// so one bad input costs its own line and no other.
struct LineWorker {
    let input: JSONLinesInput
    let options: RecordOptions
    /// Lines per batch.
    let batchSize: Int
    /// A progress line on a terminal.
    var progressLabel: String?

    /// Runs the whole input.
    /// - Parameters:
    ///   - parse: an item from one line; throws (a ``CommandFailure`` from ``JSONLinesInput/Line/failure(_:)``
    ///     or any error) when the line is bad.
    ///   - run: the outcomes of a batch of items, one per item, in order.
    /// - Throws: ``CommandFailure`` for the first bad line (with `--on-error fail`), or once more than
    ///   `--max-errors` lines are bad; read and write failures.
    func run<Item>(parse: (JSONLinesInput.Line) throws -> Item, run: ([Item]) throws -> [LineOutcome]) throws {
        let recording = options.onError == .record
        var errors = 0
        var done = 0
        var output = OutputBuffer()
        let progress = progressLabel.flatMap { ProgressCounter(label: $0) }
        try input.forEachBatch(size: batchSize, keepingInvalid: true) { lines in
            let kept = recording ? lines : lines.filter { !$0.isBlank }
            let parsed: [Result<Item, LineFailure>] = kept.map { line in
                if let invalid = line.invalid { return .failure(LineFailure(reason: invalid)) }
                do { return .success(try parse(line)) } catch { return .failure(LineFailure(error)) }
            }
            let items = parsed.compactMap { try? $0.get() }
            var outcomes = Self.outcomes(of: items, run: run).makeIterator()
            for (line, item) in zip(kept, parsed) {
                let outcome: LineOutcome
                switch item {
                case .failure(let failure): outcome = .failure(failure.reason)
                case .success: outcome = outcomes.next() ?? .failure("no output for this line")
                }
                let id = options.idField.flatMap { line.value[$0] }
                switch outcome {
                case .success(let rendered):
                    output.append(Self.line(rendered, id: id, idField: options.idField))
                case .failure(let reason):
                    guard recording else {
                        try output.flush()
                        throw CommandFailure(message: "\(line.source):\(line.number): \(reason)", reason: reason)
                    }
                    errors += 1
                    var object: [String: JSONValue] = ["error": .string(reason), "line": .number(Double(line.number))]
                    if let idField = options.idField, let id { object[idField] = id }
                    output.append(JSONOutput.line(.object(object)))
                    if let maxErrors = options.maxErrors, errors > maxErrors {
                        try output.flush()
                        throw CommandFailure(message: "more than --max-errors \(maxErrors) bad lines; the last, \(line.source):\(line.number): \(reason)")
                    }
                }
            }
            try output.flush()
            done += lines.count
            progress?.update(done)
        }
        progress?.finish()
    }

    /// The outcomes of a batch; when the batch fails as a whole, of each item alone.
    private static func outcomes<Item>(of items: [Item], run: ([Item]) throws -> [LineOutcome]) -> [LineOutcome] {
        guard !items.isEmpty else { return [] }
        do {
            let outcomes = try run(items)
            guard outcomes.count == items.count else {
                return items.map { _ in .failure("the batch gave \(outcomes.count) outputs for \(items.count) inputs") }
            }
            return outcomes
        } catch {
            guard items.count > 1 else { return [.failure(LineFailure(error).reason)] }
            return items.map { item in
                do { return try run([item]).first ?? .failure("no output for this line") } catch { return .failure(LineFailure(error).reason) }
            }
        }
    }

    /// The output line for one rendered value, with the input's id when `--id-field` is given.
    static func line(_ rendered: RenderedOutput, id: JSONValue?, idField: String?) -> String {
        switch rendered {
        case .object(let text):
            guard let idField, let id else { return text }
            let key = JSONOutput.line(.string(idField)) + ":" + JSONOutput.line(id)
            let body = text.dropFirst()
            return "{" + key + (body.hasPrefix("}") ? "" : ",") + body
        case .value(let text, let name):
            guard let idField else { return text }
            var head = "{" + JSONOutput.line(.string(name)) + ":" + text
            if let id { head += "," + JSONOutput.line(.string(idField)) + ":" + JSONOutput.line(id) }
            return head + "}"
        }
    }
}

/// Why one line has no output: the message of what was thrown for it, without its place.
struct LineFailure: Error {
    let reason: String

    init(reason: String) { self.reason = reason }

    init(_ error: any Error) {
        if let failure = error as? CommandFailure {
            reason = failure.reason ?? failure.message
        } else if let failure = error as? LineFailure {
            reason = failure.reason
        } else {
            reason = String(describing: error)
        }
    }
}
