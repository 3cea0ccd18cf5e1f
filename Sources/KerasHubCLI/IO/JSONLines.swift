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

        /// A ``CommandFailure`` that names the source and line.
        func failure(_ message: String) -> CommandFailure {
            CommandFailure(message: "\(source):\(number): \(message)")
        }
    }

    let path: String

    /// The parsed lines, in order; blank lines are skipped.
    /// - Parameter keepingInvalid: keep a line that is not JSON (with ``Line/invalid`` set) rather than failing.
    /// - Throws: ``CommandFailure`` naming the line that is not JSON.
    func lines(keepingInvalid: Bool = false) throws -> [Line] {
        let source = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(message: "\(path): cannot read input file")
            }
            data = contents
        }
        return try Self.parse(data, source: source, keepingInvalid: keepingInvalid)
    }

    /// The non-blank lines of JSON Lines bytes, parsed, with their 1-based line numbers. Bytes that
    /// are not UTF-8 are replaced by U+FFFD.
    /// - Parameter source: the name used in messages (a path, or `<stdin>`).
    /// - Throws: ``CommandFailure`` naming the line that is not JSON.
    static func parse(_ data: Data, source: String, keepingInvalid: Bool = false) throws -> [Line] {
        var result: [Line] = []
        let decoder = JSONDecoder()
        for (index, slice) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = slice.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            // Invalid UTF-8 is replaced by U+FFFD (as tf.text and Python's errors="replace" do) rather
            // than failing the line; valid lines are decoded as they are.
            let bytes = slice.withUnsafeBytes { String(validating: $0, as: UTF8.self) } != nil
                ? Data(slice) : Data(String(decoding: slice, as: UTF8.self).utf8)
            do {
                result.append(Line(number: index + 1, value: try decoder.decode(JSONValue.self, from: bytes), source: source))
            } catch {
                let reason = "not valid JSON: \(ConfigError.describe(error))"
                guard keepingInvalid else { throw CommandFailure(message: "\(source):\(index + 1): \(reason)") }
                result.append(Line(number: index + 1, value: .null, source: source, invalid: reason))
            }
        }
        return result
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
