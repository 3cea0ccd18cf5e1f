import Foundation
import Testing
@testable import KerasHubTokenizers

/// Inputs that crashed a fuzz target (Tools/fuzz), committed under `Fixtures/fuzz/`, each replayed
/// the way its target reads it and now a typed error.
@Suite struct FuzzRegressionTests {
    static func input(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fuzz/\(name)")))
    }

    /// `vocab` target, mode 3 (`vocabulary.json` NUL `merges.txt`): `{"a": 2000000000}` made the
    /// tokenizer allocate a 2e9-entry id table (out of memory).
    @Test func hugeTokenIdInVocabularyJSON() throws {
        let data = try Self.input("vocab-huge-token-id")
        #expect(data.first == 3)
        let parts = data.dropFirst().split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let vocabulary = try BytePairFiles.vocabulary(json: Data(parts[0]))
        let merges = BytePairFiles.merges(text: parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : "").map(\.rule)
        #expect(throws: TokenizerError.tokenIdOutOfRange(token: "a", id: 2_000_000_000, limit: 65_539)) {
            try BytePairTokenizer(vocabulary: vocabulary, merges: merges)
        }
    }

    /// A negative id given in memory (the file parser already rejects it) indexed the id table at -1.
    @Test func negativeTokenIdInMemory() throws {
        #expect(throws: TokenizerError.tokenIdOutOfRange(token: "b", id: -1, limit: 65_542)) {
            try BytePairTokenizer(vocabulary: ["a": 0, "b": -1], merges: [])
        }
    }

    /// Gaps in the ids stay allowed (transformers' added tokens leave some).
    @Test func sparseIdsWithinTheLimitAreFine() throws {
        var vocabulary: [String: Int32] = [:]
        for b in 0..<256 { vocabulary[ByteLevelAlphabet.encode([UInt8(b)])] = Int32(b) }
        vocabulary["<|endoftext|>"] = 50_000
        let tokenizer = try BytePairTokenizer(vocabulary: vocabulary, merges: [], unsplittableTokens: ["<|endoftext|>"])
        #expect(tokenizer.vocabularySize == 50_001)
        #expect(tokenizer.tokenize("a<|endoftext|>") == [Int32(vocabulary["a"] ?? -1), 50_000])
        #expect(tokenizer.idToToken(300) == nil)
    }

    /// `bpe` target, options byte 1 (`addPrefixSpace`) and no text: the prefix check read the first
    /// byte of an empty string (index out of range).
    @Test func prefixSpaceOnEmptyText() throws {
        let data = try Self.input("bpe-prefix-space-empty-text")
        #expect(data == Data([1]))
        let tokenizer = try BytePairTokenizer(
            vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"), addPrefixSpace: true)
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        #expect(tokenizer.tokenize(text) == [])
        #expect(tokenizer.tokenize([text, "Hello"]) == [[], [18435]])
        #expect(tokenizer.detokenize([]) == "")
        let withSpecials = try BytePairTokenizer(
            vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"), addPrefixSpace: true,
            unsplittableTokens: ["<|endoftext|>"])
        #expect(withSpecials.tokenize("") == [])
        #expect(withSpecials.tokenize("<|endoftext|>") == [50256])
    }
}
