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

/// transformers' tests/models/bert/test_tokenization_bert.py, transcribed: the full tokenizer and
/// WordPiece cases with their inline vocabularies, and the BasicTokenizer cases through a vocabulary
/// holding exactly the expected words (so the pieces are BasicTokenizer's split).
@Suite struct PeerTransformersBertCasesTests {
    static let setUpVocabulary = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "want", "##want", "##ed", "wa", "un", "runn", "##ing",
                                  ",", "low", "lowest"]

    func pieces(_ text: String, expecting words: [String], lowercase: Bool, stripAccents: Bool? = nil) throws -> [String] {
        let vocabulary = ["[UNK]"] + words.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, lowercase: lowercase, stripAccents: stripAccents)
        return tokenizer.tokenize(text).compactMap { tokenizer.idToToken($0) }
    }

    @Test func fullTokenizerAndWordPiece() throws {
        let full = try WordPieceTokenizer(vocabulary: Self.setUpVocabulary, lowercase: true)
        #expect(full.tokenize("UNwant\u{00E9}d,running") == [9, 6, 7, 12, 10, 11])  // test_full_tokenizer
        // test_clean_text: a soft hyphen is removed; "Test" lowercases to the unknown "test".
        #expect(["Test", "\u{00AD}", "test"].map { full.tokenize($0) } == [[0], [], [0]])
        let wordPiece = try WordPieceTokenizer(vocabulary: ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing"])
        func pieces(_ text: String) -> [String] { wordPiece.tokenize(text).compactMap { wordPiece.idToToken($0) } }
        #expect(pieces("") == [])  // test_wordpiece_tokenizer
        #expect(pieces("unwanted running") == ["un", "##want", "##ed", "runn", "##ing"])
        #expect(pieces("unwantedX running") == ["[UNK]", "runn", "##ing"])
    }

    @Test func basicTokenizerCases() throws {
        let text = " \tHeLLo!how  \n Are yoU?  ", accented = " \tHäLLo!how  \n Are yoU?  "
        let lower = ["hello", "!", "how", "are", "you", "?"]
        #expect(try pieces(text, expecting: lower, lowercase: true) == lower)  // test_basic_tokenizer_lower
        #expect(try pieces("H\u{00E9}llo", expecting: ["hello"], lowercase: true) == ["hello"])
        let keep = ["hällo", "!", "how", "are", "you", "?"]
        #expect(try pieces(accented, expecting: keep, lowercase: true, stripAccents: false) == keep)  // ..._strip_accents_false
        #expect(try pieces("H\u{00E9}llo", expecting: ["h\u{00E9}llo"], lowercase: true, stripAccents: false) == ["h\u{00E9}llo"])
        let stripped = ["hallo", "!", "how", "are", "you", "?"]
        #expect(try pieces(accented, expecting: stripped, lowercase: true, stripAccents: true) == stripped)  // ..._strip_accents_true
        #expect(try pieces(accented, expecting: stripped, lowercase: true) == stripped)  // ..._strip_accents_default
        let cased = ["HeLLo", "!", "how", "Are", "yoU", "?"]
        #expect(try pieces(text, expecting: cased, lowercase: false) == cased)  // test_basic_tokenizer_no_lower
        let casedAccent = ["HäLLo", "!", "how", "Are", "yoU", "?"]
        #expect(try pieces(accented, expecting: casedAccent, lowercase: false, stripAccents: false) == casedAccent)
        let casedStripped = ["HaLLo", "!", "how", "Are", "yoU", "?"]
        #expect(try pieces(accented, expecting: casedStripped, lowercase: false, stripAccents: true) == casedStripped)
        let punctuation = ["a", "'", "ll", "!", "!", "to", "?", "'", "d", "of", ",", "can", "'", "t", "."]
        #expect(try pieces("a\n'll !!to?'d of, can't.", expecting: punctuation, lowercase: true) == punctuation)  // ..._splits_on_punctuation
        let chinese = ["ah", "\u{535A}", "\u{63A8}", "zz"]
        #expect(try pieces("ah\u{535A}\u{63A8}zz", expecting: chinese, lowercase: true) == chinese)  // test_chinese
    }
}
