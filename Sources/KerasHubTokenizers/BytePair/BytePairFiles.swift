import Foundation

/// Parsing of the two BPE assets: `vocabulary.json` and `merges.txt`.
enum BytePairFiles {
    /// Parses a `vocabulary.json` object (token string -> integer id).
    static func vocabulary(json data: Data) throws -> [String: Int32] {
        let vocabulary: [String: Int32]
        do {
            vocabulary = try JSONDecoder().decode([String: Int32].self, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            throw TokenizerError.malformedVocabularyJSON(reason: describe(context))
        } catch let DecodingError.dataCorrupted(context) {
            throw TokenizerError.malformedVocabularyJSON(reason: describe(context))
        } catch {
            throw TokenizerError.malformedVocabularyJSON(reason: String(describing: error))
        }
        if let (token, _) = vocabulary.first(where: { $0.value < 0 }) {
            throw TokenizerError.malformedVocabularyJSON(reason: "negative id for \(String(reflecting: token))")
        }
        return vocabulary
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "at \(String(reflecting: path)): \(context.debugDescription)"
    }

    /// The merge rules of a `merges.txt` file with their 1-based line numbers. A first line
    /// starting with `#version` and empty lines are skipped.
    static func merges(text: String) -> [(line: Int, rule: String)] {
        var rules: [(Int, String)] = []
        for (index, line) in VocabularyFile.lines(text).enumerated() {
            if index == 0, line.hasPrefix("#version") { continue }
            if line.isEmpty { continue }
            rules.append((index + 1, String(line)))
        }
        return rules
    }
}
