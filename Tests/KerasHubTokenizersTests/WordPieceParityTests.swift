import Testing
import KerasHubTokenizers

/// WordPiece against transformers' BertTokenizerFast on the real bert-base-uncased vocabulary.
@Suite struct WordPieceParityTests {
    static let tokenizer: WordPieceTokenizer? = try? WordPieceTokenizer(
        vocabularyFile: Fixtures.path("bert_base_uncased_vocab.txt"), lowercase: true,
        specialTokens: ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"], specialTokensInStrings: true)

    @Test func kerasHubReferenceSentence() throws {
        let tokenizer = try #require(Self.tokenizer)
        #expect(tokenizer.tokenize("The quick brown fox.") == [1996, 4248, 2829, 4419, 1012])
        #expect(tokenizer.vocabularySize == 30522)
    }

    @Test func everyCorpusLineMatchesReferenceIds() throws {
        let tokenizer = try #require(Self.tokenizer)
        let corpus = try Fixtures.corpus()
        let goldens = try Fixtures.goldens("goldens_wordpiece.jsonl")
        #expect(corpus.count == goldens.count)
        var matched = 0
        for (index, (text, golden)) in zip(corpus, goldens).enumerated() {
            let ids = tokenizer.tokenize(text)
            #expect(ids == golden.ids, "line \(index + 1): \(String(reflecting: text))")
            if ids == golden.ids { matched += 1 }
        }
        #expect(matched == corpus.count)
    }

    @Test func detokenizeMatchesReferenceDecode() throws {
        let tokenizer = try #require(Self.tokenizer)
        let goldens = try Fixtures.goldens("goldens_wordpiece.jsonl")
        for (index, golden) in goldens.enumerated() {
            #expect(tokenizer.detokenize(golden.ids) == golden.decoded, "line \(index + 1)")
        }
    }

    @Test func batchEqualsOneByOne() throws {
        let tokenizer = try #require(Self.tokenizer)
        let corpus = try Fixtures.corpus()
        #expect(tokenizer.tokenize(corpus) == corpus.map { tokenizer.tokenize($0) })
    }
}

/// The same vocabulary without lowercasing (and so without accent stripping), against
/// BertTokenizerFast(do_lower_case=False).
@Suite struct WordPieceCasedParityTests {
    @Test func everyCorpusLineMatchesReference() throws {
        let tokenizer = try WordPieceTokenizer(
            vocabularyFile: Fixtures.path("bert_base_uncased_vocab.txt"), lowercase: false,
            specialTokens: ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"], specialTokensInStrings: true)
        let corpus = try Fixtures.corpus()
        let goldens = try Fixtures.goldens("goldens_wordpiece_cased.jsonl")
        #expect(corpus.count == goldens.count)
        var matched = 0
        for (index, (text, golden)) in zip(corpus, goldens).enumerated() {
            let ids = tokenizer.tokenize(text)
            #expect(ids == golden.ids, "line \(index + 1): \(String(reflecting: text))")
            #expect(tokenizer.detokenize(golden.ids) == golden.decoded, "line \(index + 1)")
            if ids == golden.ids { matched += 1 }
        }
        #expect(matched == corpus.count)
    }
}
