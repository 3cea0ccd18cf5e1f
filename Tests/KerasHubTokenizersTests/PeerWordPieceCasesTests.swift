import Foundation
import Testing
import KerasHubTokenizers

/// keras_hub/src/tokenizers/word_piece_tokenizer_test.py, transcribed with its inline vocabularies.
/// KerasHub's `detokenize` joins pieces with spaces and no clean-up (`cleanUpTokenizationSpaces: false`).
@Suite struct PeerWordPieceCasesTests {
    static let basic = ["[UNK]", "the", "qu", "##ick", "br", "##own", "fox", "."]

    func pieces(_ tokenizer: WordPieceTokenizer, _ text: String) -> [String] {
        tokenizer.tokenize(text).compactMap { tokenizer.idToToken($0) }
    }

    @Test func basicsAndNonDefaultConfig() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.basic, cleanUpTokenizationSpaces: false)
        #expect(tokenizer.tokenize(["the quick brown fox."]) == [[1, 2, 3, 4, 5, 6, 7]])  // test_tokenizer_basics
        #expect(tokenizer.detokenize([1, 2, 3, 4, 5, 6, 7]) == "the quick brown fox .")
        let custom = try WordPieceTokenizer(
            vocabulary: ["@UNK@", "qu", "@@ick", "br", "@@own", "fox", "@MASK@"], lowercase: true, suffixIndicator: "@@",
            oovToken: "@UNK@", specialTokens: ["@UNK@", "@MASK@"], specialTokensInStrings: true, cleanUpTokenizationSpaces: false)
        #expect(custom.tokenize(["quick brown whale @MASK@"]) == [[1, 2, 3, 4, 0, 6]])  // test_tokenizer_basics_with_non_default_config
        #expect(custom.detokenize([1, 2, 3, 4, 0, 6]) == "quick brown @UNK@ @MASK@")
        #expect(pieces(custom, "quick brown whale @MASK@") == ["qu", "@@ick", "br", "@@own", "@UNK@", "@MASK@"])  // test_special_tokens_string_dtype
    }

    @Test func denseOutputStringsDetokenizeAndAccessors() throws {
        let dense = try WordPieceTokenizer(vocabulary: Self.basic, sequenceLength: 10)
        #expect(dense.tokenize(["the quick brown fox."]) == [[1, 2, 3, 4, 5, 6, 7, 0, 0, 0]])  // test_dense_output
        let vocabulary = ["[UNK]", "the", "qu", "##ick", "br", "##own", "fox"]
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, cleanUpTokenizationSpaces: false)
        #expect(pieces(tokenizer, "the quick brown fox") == ["the", "qu", "##ick", "br", "##own", "fox"])  // test_string_tokenize
        #expect(tokenizer.detokenize([1, 2, 3, 4, 5, 6]) == "the quick brown fox")  // test_detokenize
        #expect(tokenizer.detokenize([1, 6]) == "the fox")
        #expect(tokenizer.vocabularySize == 7)  // test_accessors
        #expect(tokenizer.vocabulary == vocabulary)
        #expect(tokenizer.idToToken(0) == "[UNK]" && tokenizer.idToToken(6) == "fox")
        #expect(tokenizer.tokenToId("[UNK]") == 0 && tokenizer.tokenToId("fox") == 6)
        #expect(tokenizer.idToToken(7) == nil && tokenizer.idToToken(-1) == nil)  // test_error_id_out_of_vocabulary
    }

    @Test func specialTokensLowercaseAccentsAndCJK() throws {
        let specials = ["[UNK]", "[MASK]", "[SEP]", "[PAD]", "[CLS]"]
        let vocabulary = specials + ["the", "qu", "##ick", "br", "##own", "fox", "."]
        let literal = try WordPieceTokenizer(vocabulary: vocabulary, specialTokens: specials, specialTokensInStrings: true)
        #expect(literal.tokenize(["[UNK] [MASK] [SEP] [PAD] [CLS] the quick brown fox."]) == [Array(0...11)])  // test_special_tokens_int_dtype
        let lower = try WordPieceTokenizer(vocabulary: vocabulary, lowercase: true, specialTokens: specials, specialTokensInStrings: true)
        #expect(lower.tokenize(["[UNK] [MASK] [SEP] [PAD] [CLS] THE QUICK BROWN FOX."]) == [Array(0...11)])  // test_special_tokens_with_lowecase
        let cjk = try WordPieceTokenizer(vocabulary: ["[UNK]", "推", "敐", "乐", "半", "偷", "匕", "ah", "zz"])
        #expect(pieces(cjk, "ah半推zz") == ["ah", "半", "推", "zz"])  // test_cjk_tokens
        let base = ["[UNK]", "the", "qu", "##ick", "br", "##own", "fox"]
        #expect(try WordPieceTokenizer(vocabulary: base, lowercase: true).tokenize(["the QUicK brOWN FOX"]) == [[1, 2, 3, 4, 5, 6]])  // test_lowercase
        #expect(try WordPieceTokenizer(vocabulary: ["[UNK]", "the", "QU", "##icK", "br", "##OWN", "fox"], lowercase: false)
            .tokenize(["the QUicK brOWN FOX"]) == [[1, 2, 3, 4, 5, 0]])  // test_skip_lowercase
        #expect(try WordPieceTokenizer(vocabulary: ["[UNK]", "a", "e", "i", "o", "u"], stripAccents: true)
            .tokenize(["á é í ó ú"]) == [[1, 2, 3, 4, 5]])  // test_strip_accents
        #expect(try WordPieceTokenizer(vocabulary: ["[UNK]", "á", "é", "í", "ó", "ú"], stripAccents: false)
            .tokenize(["á é í ó ú"]) == [[1, 2, 3, 4, 5]])  // test_skip_strip_accents
    }

    @Test func noSplittingAndWordPieceOnly() throws {
        let whole = try WordPieceTokenizer(vocabulary: ["[UNK]", "t o k e n"], split: false)
        #expect(whole.tokenize(["t o k e n", "m i s s i n g", "t o k e n"]) == [[1], [0], [1]])  // test_no_splitting
        let pieceOnly = try WordPieceTokenizer(
            vocabulary: ["[UNK]", "the", "qu", "##íck", "Br", "##ówn", "Fóx"], lowercase: false, stripAccents: false, split: false)
        #expect(pieceOnly.tokenize(["the", "quíck", "Brówn", "Fóx"]) == [[1], [2, 3], [4, 5], [6]])  // test_word_piece_only
    }
}

/// transformers' tests/models/gpt2/test_tokenization_gpt2.py (`test_full_tokenizer`,
/// `test_rust_and_python_full_tokenizers`), transcribed: Sennrich et al.'s small vocabulary, which holds
/// only a few byte symbols, through vocab.json / merges.txt files with a `#version` header and a blank line.
@Suite struct PeerTransformersGPT2CasesTests {
    @Test func transformersGPT2FullTokenizer() throws {
        let vocabulary = ["l", "o", "w", "e", "r", "s", "t", "i", "d", "n", "\u{0120}", "\u{0120}l", "\u{0120}n", "\u{0120}lo",
                          "\u{0120}low", "er", "\u{0120}lowest", "\u{0120}newer", "\u{0120}wider", "<unk>", "<|endoftext|>"]
        let ids = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int32($0)) })
        let vocabPath = try Fixtures.temporaryFile(Data(JSONEncoder().encode(ids)), name: "vocab.json")
        let mergesPath = try Fixtures.temporaryFile("#version: 0.2\n\u{0120} l\n\u{0120}l o\n\u{0120}lo w\ne r\n", name: "merges.txt")
        let tokenizer = try BytePairTokenizer(
            vocabularyFile: vocabPath, mergesFile: mergesPath, addPrefixSpace: true, unsplittableTokens: ["<|endoftext|>"])
        let tokens = tokenizer.tokenize("lower newer")
        #expect(tokens.compactMap { tokenizer.idToToken($0) } == ["\u{0120}low", "er", "\u{0120}", "n", "e", "w", "er"])
        #expect(tokens == [14, 15, 10, 9, 3, 2, 15])
        #expect(tokenizer.tokenToId("<unk>") == 19)
        #expect(tokenizer.detokenize(tokens) == " lower newer")
    }
}
