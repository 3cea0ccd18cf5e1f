import Testing
import KerasHubTokenizers

/// Byte-level BPE against transformers' GPT2TokenizerFast on the real GPT-2 vocabulary.
@Suite struct BytePairParityTests {
    static let tokenizer: BytePairTokenizer? = try? BytePairTokenizer(
        vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"),
        unsplittableTokens: ["<|endoftext|>"])

    @Test func kerasHubReferenceSentence() throws {
        let tokenizer = try #require(Self.tokenizer)
        #expect(tokenizer.tokenize("The quick brown fox.") == [464, 2068, 7586, 21831, 13])
        #expect(tokenizer.vocabularySize == 50257)
        #expect(tokenizer.mergeCount == 50000)
    }

    @Test func everyCorpusLineMatchesReferenceIds() throws {
        let tokenizer = try #require(Self.tokenizer)
        let corpus = try Fixtures.corpus()
        let goldens = try Fixtures.goldens("goldens_bpe.jsonl")
        #expect(corpus.count == goldens.count)
        var matched = 0
        for (index, (text, golden)) in zip(corpus, goldens).enumerated() {
            let ids = tokenizer.tokenize(text)
            #expect(ids == golden.ids, "line \(index + 1): \(String(reflecting: text))")
            if ids == golden.ids { matched += 1 }
        }
        #expect(matched == corpus.count)
    }

    @Test func detokenizeRestoresInputAndMatchesReference() throws {
        let tokenizer = try #require(Self.tokenizer)
        let corpus = try Fixtures.corpus()
        let goldens = try Fixtures.goldens("goldens_bpe.jsonl")
        for (index, (text, golden)) in zip(corpus, goldens).enumerated() {
            #expect(tokenizer.detokenize(golden.ids) == golden.decoded, "line \(index + 1)")
            #expect(tokenizer.detokenize(tokenizer.tokenize(text)) == text, "line \(index + 1)")
        }
    }

    @Test func batchEqualsOneByOne() throws {
        let tokenizer = try #require(Self.tokenizer)
        let corpus = try Fixtures.corpus()
        #expect(tokenizer.tokenize(corpus) == corpus.map { tokenizer.tokenize($0) })
    }
}
