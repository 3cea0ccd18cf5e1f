import KerasHubModels
import KerasHubTokenizers
import Testing

/// BertTokenizer on a small inline vocabulary.
@Suite struct BertTokenizerTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "brown", "fox", ".", "The"]

    @Test func specialTokenIds() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.vocabulary)
        #expect(tokenizer.clsTokenId == 2)
        #expect(tokenizer.sepTokenId == 3)
        #expect(tokenizer.padTokenId == 0)
        #expect(tokenizer.maskTokenId == 4)
        #expect(tokenizer.unkTokenId == 1)
        #expect(tokenizer.startTokenId == 2 && tokenizer.endTokenId == 3)
        #expect(tokenizer.specialTokens == ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"])
        #expect(tokenizer.specialTokenIds == [2, 3, 0, 4, 1])
    }

    @Test func lowercaseOption() throws {
        let cased = try BertTokenizer(vocabulary: Self.vocabulary)
        let uncased = try BertTokenizer(vocabulary: Self.vocabulary, lowercase: true)
        #expect(cased.tokenize("The quick brown fox.") == [10, 6, 7, 8, 9])
        #expect(uncased.tokenize("The QUICK brown fox.") == [5, 6, 7, 8, 9])
        #expect(cased.tokenize("THE") == [1])
        #expect(uncased.detokenize([5, 6, 7, 8, 9]) == "the quick brown fox.")
    }

    @Test func specialTokensInStrings() throws {
        let literal = try BertTokenizer(vocabulary: Self.vocabulary, specialTokensInStrings: true)
        #expect(literal.tokenize("[CLS] the [SEP]") == [2, 5, 3])
        let plain = try BertTokenizer(vocabulary: Self.vocabulary)
        #expect(plain.tokenize("[CLS]") == [1, 1, 1])
    }

    @Test func missingSpecialTokenIsAnError() {
        #expect(throws: TokenizerError.missingSpecialToken("[MASK]")) {
            try BertTokenizer(vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the"])
        }
    }

    @Test func packsWithMultiSegmentPacker() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.vocabulary, lowercase: true)
        let packer = MultiSegmentPacker(sequenceLength: 8, startValue: [tokenizer.clsTokenId],
                                        endValue: [tokenizer.sepTokenId], padValue: tokenizer.padTokenId)
        let packed = packer.pack([tokenizer.tokenize("the fox"), tokenizer.tokenize("quick .")])
        #expect(packed.tokenIds == [2, 5, 8, 3, 6, 9, 3, 0])
        #expect(packed.segmentIds == [0, 0, 0, 0, 1, 1, 1, 0])
        #expect(packed.paddingMask == [true, true, true, true, true, true, true, false])
    }
}
