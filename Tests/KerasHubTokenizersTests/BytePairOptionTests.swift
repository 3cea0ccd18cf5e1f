import Testing
import KerasHubTokenizers

/// BytePairTokenizer options on the real GPT-2 vocabulary.
@Suite struct BytePairOptionTests {
    static let gpt2: BytePairTokenizer? = BytePairParityTests.tokenizer

    @Test func addPrefixSpace() throws {
        let plain = try #require(Self.gpt2)
        let prefixed = try BytePairTokenizer(
            vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"),
            addPrefixSpace: true)
        #expect(prefixed.tokenize("Hello") == plain.tokenize(" Hello"))
        #expect(prefixed.tokenize(" Hello") == plain.tokenize(" Hello"))
    }

    @Test func unsplittableTokensStayWhole() throws {
        let tokenizer = try #require(Self.gpt2)
        #expect(tokenizer.tokenize("<|endoftext|>") == [50256])
        #expect(tokenizer.specialTokens == ["<|endoftext|>"])
        #expect(tokenizer.specialTokenIds == [50256])
        let splitting = try BytePairTokenizer(
            vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"))
        #expect(splitting.tokenize("<|endoftext|>").count > 1)
    }

    @Test func detokenizeRestoresBytes() throws {
        let tokenizer = try #require(Self.gpt2)
        for text in ["a\u{0}b", "🏳️‍🌈 e\u{301}", "  \t\r\n", "\u{FEFF}x"] {
            #expect(tokenizer.detokenize(tokenizer.tokenize(text)) == text)
        }
    }

    @Test func accessors() throws {
        let tokenizer = try #require(Self.gpt2)
        #expect(tokenizer.idToToken(464) == "The")
        #expect(tokenizer.tokenToId("ĠThe") == 383)
        #expect(tokenizer.tokenToId("not a token") == nil)
        #expect(tokenizer.idToToken(50257) == nil)
    }

    @Test func smallMergeListRanks() throws {
        let vocabulary = TokenizerErrorTests.byteVocabulary(["ab", "bc", "abc"])
        let tokenizer = try BytePairTokenizer(vocabulary: vocabulary, merges: ["b c", "a b", "a bc"])
        // "b c" ranks first, so "abc" merges as a + bc -> abc.
        #expect(tokenizer.tokenize("abc") == [vocabulary["abc"]].compactMap { $0 })
        let other = try BytePairTokenizer(vocabulary: vocabulary, merges: ["a b", "b c"])
        #expect(other.tokenize("abc") == [vocabulary["ab"], vocabulary["c"]].compactMap { $0 })
    }
}
