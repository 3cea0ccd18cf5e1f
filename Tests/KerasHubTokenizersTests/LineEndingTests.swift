import Foundation
import Testing
import KerasHubTokenizers

/// Vocabulary and merges files read alike with `\n` and `\r\n` line ends, as transformers' Python
/// readers read them (issue: a CRLF `merges.txt` used to yield no merges, and a CRLF `vocab.txt`
/// was refused).
@Suite struct LineEndingTests {
    /// `name` from the fixtures rewritten with `\r\n` line ends, in a fresh directory.
    static func crlfCopy(_ name: String) throws -> URL {
        let text = try String(contentsOfFile: Fixtures.path(name), encoding: .utf8)
        #expect(!text.contains("\r"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crlf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: url)
        return url
    }

    @Test func crlfMergesGiveTheSameIds() throws {
        let merges = try Self.crlfCopy("gpt2_merges.txt")
        defer { try? FileManager.default.removeItem(at: merges.deletingLastPathComponent()) }
        let lf = try BytePairTokenizer(vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"))
        let crlf = try BytePairTokenizer(vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: merges.path)
        #expect(crlf.mergeCount == 50000 && crlf.mergeCount == lf.mergeCount)
        let corpus = try Fixtures.corpus()
        #expect(crlf.tokenize(corpus) == lf.tokenize(corpus))
        #expect(crlf.tokenize("The quick brown fox.") == [464, 2068, 7586, 21831, 13])
    }

    @Test func crlfVocabularyGivesTheSameIds() throws {
        let vocabulary = try Self.crlfCopy("bert_base_uncased_vocab.txt")
        defer { try? FileManager.default.removeItem(at: vocabulary.deletingLastPathComponent()) }
        let lf = try WordPieceTokenizer(vocabularyFile: Fixtures.path("bert_base_uncased_vocab.txt"), lowercase: true)
        let crlf = try WordPieceTokenizer(vocabularyFile: vocabulary.path, lowercase: true)
        #expect(crlf.vocabularySize == 30522 && crlf.vocabulary == lf.vocabulary)
        let corpus = try Fixtures.corpus()
        #expect(crlf.tokenize(corpus) == lf.tokenize(corpus))
    }
}
