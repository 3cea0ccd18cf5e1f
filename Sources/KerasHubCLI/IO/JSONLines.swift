import Foundation
import KerasHub

/// Reading JSON Lines input: a file, or standard input for `-`.
struct JSONLinesInput {
    /// One non-empty input line with its 1-based line number.
    struct Line {
        let number: Int
        let value: JSONValue
        let source: String
        /// Why the line is not JSON, for a line kept by ``JSONLinesInput/lines(keepingInvalid:)`` (its value is then null).
        var invalid: String? = nil
        /// Whether the line is blank (kept, as invalid, only by a reader keeping invalid lines).
        var isBlank = false

        /// A ``CommandFailure`` that names the source and line.
        func failure(_ message: String) -> CommandFailure {
            CommandFailure(message: "\(source):\(number): \(message)", reason: message)
        }
    }

    /// The default of `--max-line-bytes`: 16 MiB, far past any one text or id list a model takes.
    static let defaultMaxLineBytes = 16 << 20
    /// The largest `--max-line-bytes` accepted.
    static let maximumMaxLineBytes = 1 << 30

    let path: String
    /// The longest line accepted, in bytes (without its newline).
    var maxLineBytes: Int = JSONLinesInput.defaultMaxLineBytes

    /// The parsed lines, in order; blank lines are skipped. The input is streamed in 64 KiB reads,
    /// and a line is refused as soon as it grows past `maxLineBytes`, before it is parsed, so a
    /// 200 MB line costs `maxLineBytes` of memory, not a JSON tree of 200 MB.
    /// - Parameter keepingInvalid: keep a line that is not JSON (with ``Line/invalid`` set) rather than failing.
    /// - Throws: ``CommandFailure`` naming the line that is not JSON or is too long.
    func lines(keepingInvalid: Bool = false) throws -> [Line] {
        var result: [Line] = []
        try forEachBatch(size: Int.max, keepingInvalid: keepingInvalid, waitingForFullBatches: true) { result += $0 }
        return result
    }

    /// Streams the input to `body` in batches of at most `size` lines, in order, holding one batch
    /// (and one partial line) at a time, so an input of any length runs in bounded memory.
    ///
    /// A batch is handed on when it is full, at the end of the input, or, unless
    /// `waitingForFullBatches`, as soon as no more input is waiting to be read: a process on the
    /// other end of a pipe that writes a line and waits for its answer gets it, while a fast writer
    /// still fills whole batches.
    /// - Parameters:
    ///   - keepingInvalid: keep a line that is not JSON, and a blank line, with ``Line/invalid`` set,
    ///     so that every input line has its place; otherwise a line that is not JSON fails and a
    ///     blank line is skipped.
    /// - Throws: ``CommandFailure`` naming an unreadable input or a line that is too long, or not
    ///   JSON (unless kept); whatever `body` throws.
    func forEachBatch(
        size: Int, keepingInvalid: Bool = false, waitingForFullBatches: Bool = false, _ body: ([Line]) throws -> Void
    ) throws {
        let source = path == "-" ? "<stdin>" : path
        let descriptor: Int32
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw CommandFailure(message: "\(path): cannot read input file")
            }
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw CommandFailure(message: "\(path): cannot read input file (\(String(cString: strerror(errno))))") }
        }
        defer { if path != "-" { close(descriptor) } }
        var splitter = LineSplitter(maxLineBytes: maxLineBytes, source: source)
        var pending: [Line] = []
        func collect(_ number: Int, _ bytes: Data) throws {
            if let line = try Self.parseLine(bytes, number: number, source: source, keepingInvalid: keepingInvalid) {
                pending.append(line)
            }
            if pending.count >= size {
                try body(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandFailure(message: "\(source): read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            try splitter.feed(Data(buffer[0..<count]), collect)
            if !pending.isEmpty, !waitingForFullBatches, !Self.moreInputIsWaiting(descriptor) {
                try body(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try splitter.finish(collect)
        if !pending.isEmpty { try body(pending) }
    }

    /// Whether a read of `descriptor` would return at once (data or end of input are waiting).
    private static func moreInputIsWaiting(_ descriptor: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) > 0
    }

    /// The non-blank lines of JSON Lines bytes, parsed, with their 1-based line numbers. Bytes that
    /// are not UTF-8 are replaced by U+FFFD.
    /// - Parameter source: the name used in messages (a path, or `<stdin>`).
    /// - Throws: ``CommandFailure`` naming the line that is not JSON or longer than `maxLineBytes`.
    static func parse(_ data: Data, source: String, keepingInvalid: Bool = false, maxLineBytes: Int = defaultMaxLineBytes) throws -> [Line] {
        var splitter = LineSplitter(maxLineBytes: maxLineBytes, source: source)
        var result: [Line] = []
        func collect(_ number: Int, _ bytes: Data) throws {
            if let line = try parseLine(bytes, number: number, source: source, keepingInvalid: keepingInvalid) { result.append(line) }
        }
        try splitter.feed(data, collect)
        try splitter.finish(collect)
        return result
    }

    /// One line parsed. A blank line is `nil`, or with `keepingInvalid` a line marked invalid (so
    /// a worker recording errors answers every line).
    private static func parseLine(_ slice: Data, number: Int, source: String, keepingInvalid: Bool) throws -> Line? {
        if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return keepingInvalid
                ? Line(number: number, value: .null, source: source, invalid: "blank line (expected a JSON value)", isBlank: true) : nil
        }
        // Invalid UTF-8 is replaced by U+FFFD (as tf.text and Python's errors="replace" do) rather
        // than failing the line; valid lines are decoded as they are.
        let bytes = slice.withUnsafeBytes { String(validating: $0, as: UTF8.self) } != nil
            ? slice : Data(String(decoding: slice, as: UTF8.self).utf8)
        do {
            return Line(number: number, value: try JSONDecoder().decode(JSONValue.self, from: bytes), source: source)
        } catch {
            let reason = "not valid JSON: \(ConfigError.describe(error))"
            guard keepingInvalid else { throw CommandFailure(message: "\(source):\(number): \(reason)", reason: reason) }
            return Line(number: number, value: .null, source: source, invalid: reason)
        }
    }
}

/// Cuts a byte stream into lines at `\n`, holding at most one line (of at most `maxLineBytes`)
/// at a time; a longer line is refused the moment it is seen to be longer.
struct LineSplitter {
    let maxLineBytes: Int
    let source: String
    private var pending = Data()
    private var number = 1

    init(maxLineBytes: Int, source: String) {
        self.maxLineBytes = maxLineBytes
        self.source = source
    }

    /// Hands each complete line in `chunk` (with what was pending) to `body`, with its number.
    mutating func feed(_ chunk: Data, _ body: (Int, Data) throws -> Void) throws {
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let piece = chunk[start..<newline]
            let carriageReturn = (piece.last ?? pending.last) == UInt8(ascii: "\r") ? 1 : 0
            try checkLength(pending.count + piece.count - carriageReturn, allowing: 0)
            if pending.isEmpty {
                try body(number, Data(piece))
            } else {
                pending.append(piece)
                try body(number, pending)
                pending = Data()
            }
            number += 1
            start = chunk.index(after: newline)
        }
        let rest = chunk[start...]
        // What is pending may still end in the `\r` of a `\r\n`, which does not count.
        try checkLength(pending.count + rest.count, allowing: 1)
        pending.append(rest)
    }

    /// Hands the last line (one without a final newline) to `body`.
    mutating func finish(_ body: (Int, Data) throws -> Void) throws {
        guard !pending.isEmpty else { return }
        try checkLength(pending.count - (pending.last == UInt8(ascii: "\r") ? 1 : 0), allowing: 0)
        try body(number, pending)
        pending = Data()
    }

    private func checkLength(_ count: Int, allowing slack: Int) throws {
        guard count <= maxLineBytes + slack else {
            throw CommandFailure(message: "\(source):\(number): line is longer than --max-line-bytes (\(maxLineBytes) bytes); raise it or split the input")
        }
    }
}

extension JSONLinesInput.Line {
    /// The batch of one `encode` input line, `{"token_ids": [...], "padding_mask": [...]?, "segment_ids": [...]?}`.
    /// - Throws: ``CommandFailure`` naming the line when a field has the wrong form or the arrays
    ///   disagree in length.
    func tokenBatch() throws -> TokenBatch {
        guard let object = value.objectValue else { throw failure("expected a JSON object") }
        guard let ids = object["token_ids"]?.int32Array, !ids.isEmpty else {
            throw failure("'token_ids' must be a non-empty array of integers")
        }
        var mask: [Bool]?
        if let value = object["padding_mask"] {
            guard let elements = value.arrayValue else { throw failure("'padding_mask' must be an array") }
            mask = try elements.map { element in
                if let flag = element.boolValue { return flag }
                if let number = element.intValue, number == 0 || number == 1 { return number == 1 }
                throw failure("'padding_mask' entries must be 0, 1, true or false")
            }
        }
        var segments: [Int32]?
        if let value = object["segment_ids"] {
            guard let parsed = value.int32Array else { throw failure("'segment_ids' must be an array of integers") }
            segments = parsed
        }
        do {
            return try TokenBatch(tokenIds: [ids], paddingMask: mask.map { [$0] }, segmentIds: segments.map { [$0] })
        } catch let error as InputError {
            throw failure(error.description)
        }
    }
}

extension JSONValue {
    /// The value as an array of integers that fit `Int32`, or `nil`.
    var int32Array: [Int32]? {
        guard let elements = arrayValue else { return nil }
        var result: [Int32] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let value = element.intValue, let narrow = Int32(exactly: value) else { return nil }
            result.append(narrow)
        }
        return result
    }
}

/// JSON text for output lines.
enum JSONOutput {
    /// A compact JSON line for a value.
    static func line(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "null" }
        return text
    }

    /// A float array as JSON numbers with the shortest round-tripping representation.
    static func floats<S: Sequence>(_ values: S) -> String where S.Element == Float {
        "[" + values.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ",") + "]"
    }
}
