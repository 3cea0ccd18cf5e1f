import KerasHubModels
import KerasHubTokenizers
import Testing

/// DistilBertTokenizer on a small inline vocabulary.
@Suite struct DistilBertTokenizerTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "##est", "fox", "."]

    @Test func specialTokensAndLowercase() throws {
        let tokenizer = try DistilBertTokenizer(vocabulary: Self.vocabulary, lowercase: true)
        #expect(tokenizer.clsTokenId == 2)
        #expect(tokenizer.sepTokenId == 3)
        #expect(tokenizer.padTokenId == 0)
        #expect(tokenizer.maskTokenId == 4)
        #expect(tokenizer.unkTokenId == 1)
        #expect(tokenizer.tokenize("The QUICKEST fox.") == [5, 6, 7, 8, 9])
        #expect(tokenizer.detokenize([5, 6, 7, 8, 9]) == "the quickest fox.")
        #expect(tokenizer.tokenize("wolf") == [1])
    }

    @Test func missingSpecialTokenIsAnError() {
        #expect(throws: TokenizerError.missingSpecialToken("[CLS]")) {
            try DistilBertTokenizer(vocabulary: ["[PAD]", "[UNK]", "the"])
        }
    }

    @Test func batchWithSequenceLength() throws {
        let tokenizer = try DistilBertTokenizer(vocabulary: Self.vocabulary, lowercase: true, sequenceLength: 3)
        #expect(tokenizer.tokenize(["the fox", "the quickest fox ."]) == [[5, 8, 0], [5, 6, 7]])
    }
}
