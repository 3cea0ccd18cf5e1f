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

    /// Splits text into lines on `\n`, dropping a trailing `\r` from each line and the empty
    /// remainder after a final newline.
    static func lines(_ text: String) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
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
