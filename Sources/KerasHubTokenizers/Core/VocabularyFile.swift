import Foundation

/// Reading vocabulary assets from disk.
enum VocabularyFile {
    /// The bytes of the file at `path`, or `TokenizerError.fileNotReadable`.
    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TokenizerError.fileNotReadable(path: path, reason: String(describing: error))
        }
    }

    /// Splits text into lines on `\n`, dropping a trailing `\r` from each line (`\n` and `\r\n` files
    /// read alike, as Python's readers do) and the empty remainder after a final newline. Split on
    /// scalars: Swift's `Character` `"\r\n"` is one grapheme, which a split on `"\n"` never cuts.
    static func lines(_ text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var lines: [Substring] = []
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            if scalars[index] == "\n" {
                var end = index
                if end > start, scalars[scalars.index(before: end)] == "\r" { end = scalars.index(before: end) }
                lines.append(Substring(scalars[start..<end]))
                start = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        if start < scalars.endIndex {
            var end = scalars.endIndex
            if scalars[scalars.index(before: end)] == "\r" { end = scalars.index(before: end) }
            lines.append(Substring(scalars[start..<end]))
        }
        return lines
    }

    /// A one-token-per-line vocabulary (`vocab.txt`, KerasHub `vocabulary.txt`): line n is id n-1.
    static func tokenPerLine(_ path: String) throws -> [String] {
        try tokenPerLine(data: read(path))
    }

    /// The tokens of one-token-per-line vocabulary bytes (invalid UTF-8 is replaced by U+FFFD).
    /// - Throws: `TokenizerError.malformedVocabularyLine` for an empty line.
    static func tokenPerLine(data: Data) throws -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        let lines = lines(text)
        var tokens: [String] = []
        tokens.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            if line.isEmpty {
                throw TokenizerError.malformedVocabularyLine(line: index + 1, reason: "empty token")
            }
            tokens.append(String(line))
        }
        return tokens
    }
}
