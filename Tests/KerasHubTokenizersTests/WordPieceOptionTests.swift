import Testing
import KerasHubTokenizers

/// WordPiece options on a small inline vocabulary.
@Suite struct WordPieceOptionTests {
    static let vocabulary = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "the", "quick", "brown", "fox", ".",
                             "The", "qu", "##ick", "##s", "café", "cafe", "中", "文", "中文", "!", "ab", "##c", "a"]

    func id(_ token: String) -> Int32 { Int32(Self.vocabulary.firstIndex(of: token) ?? -1) }

    @Test func caseIsKeptByDefault() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.vocabulary)
        #expect(tokenizer.tokenize("The quick fox.") == [id("The"), id("quick"), id("fox"), id(".")])
        #expect(tokenizer.tokenize("THE") == [id("[UNK]")])
    }

    @Test func lowercaseAlsoStripsAccentsUnlessTold() throws {
        let stripping = try WordPieceTokenizer(vocabulary: Self.vocabulary, lowercase: true)
        #expect(stripping.tokenize("CAFÉ") == [id("cafe")])
        let keeping = try WordPieceTokenizer(vocabulary: Self.vocabulary, lowercase: true, stripAccents: false)
        #expect(keeping.tokenize("CAFÉ") == [id("café")])
        #expect(keeping.stripAccents == false && stripping.stripAccents == true)
    }

    @Test func subwordsUseSuffixIndicator() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.vocabulary)
        #expect(tokenizer.tokenize("quicks abc") == [id("quick"), id("##s"), id("ab"), id("##c")])
        #expect(tokenizer.detokenize([id("quick"), id("##s"), id("ab"), id("##c"), id(".")]) == "quicks abc.")
        let custom = try WordPieceTokenizer(vocabulary: ["[UNK]", "ab", "@@c"], suffixIndicator: "@@")
        #expect(custom.tokenize("abc") == [1, 2])
    }

    @Test func cjkSplitting() throws {
        let split = try WordPieceTokenizer(vocabulary: Self.vocabulary)
        #expect(split.tokenize("中文") == [id("中"), id("文")])
        let joined = try WordPieceTokenizer(vocabulary: Self.vocabulary, splitOnCJK: false)
        #expect(joined.tokenize("中文") == [id("中文")])
    }

    @Test func noSplitTreatsInputAsOneWord() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.vocabulary, split: false)
        #expect(tokenizer.tokenize("quick") == [id("quick")])
        #expect(tokenizer.tokenize("the fox") == [id("[UNK]")])
    }

    @Test func longWordsBecomeOov() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.vocabulary, lowercase: true)
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101)) == [id("[UNK]")])
        let short = try WordPieceTokenizer(vocabulary: Self.vocabulary, maxInputCharsPerWord: 3)
        #expect(short.tokenize("fox quick") == [id("fox"), id("[UNK]")])
    }

    @Test func controlCharactersDroppedAndWhitespaceNormalised() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.vocabulary)
        #expect(tokenizer.tokenize("\u{0}the\u{7}\u{200B}\u{A0}fox\u{3000}!") == [id("the"), id("fox"), id("!")])
    }

    @Test func specialTokensInStrings() throws {
        let literal = try WordPieceTokenizer(vocabulary: Self.vocabulary,
                                             specialTokens: ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"],
                                             specialTokensInStrings: true)
        #expect(literal.tokenize("[CLS]the[SEP]") == [id("[CLS]"), id("the"), id("[SEP]")])
        #expect(literal.specialTokenIds == [1, 2, 3, 4, 0])
        let plain = try WordPieceTokenizer(vocabulary: Self.vocabulary, specialTokens: ["[CLS]"])
        #expect(plain.tokenize("[CLS]") == [id("[UNK]"), id("[UNK]"), id("[UNK]")])
    }

    @Test func vocabularyAccessors() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.vocabulary, sequenceLength: 4)
        #expect(tokenizer.vocabularySize == Self.vocabulary.count)
        #expect(tokenizer.idToToken(5) == "the")
        #expect(tokenizer.idToToken(-1) == nil)
        #expect(tokenizer.idToToken(999) == nil)
        #expect(tokenizer.tokenToId("fox") == id("fox"))
        #expect(tokenizer.tokenToId("wolf") == nil)
        #expect(tokenizer.tokenize(["the fox", "the quick brown fox ."]) ==
                [[id("the"), id("fox"), 0, 0], [id("the"), id("quick"), id("brown"), id("fox")]])
        #expect(tokenizer.detokenize([[id("the"), id("fox")]]) == ["the fox"])
    }
}
