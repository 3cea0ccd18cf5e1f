import Foundation
import Testing
import KerasHubTokenizers

/// Every bad input gets a typed error that says where the problem is.
@Suite struct TokenizerErrorTests {
    // MARK: WordPiece

    @Test func duplicateTokenNamesLine() throws {
        let path = try Fixtures.temporaryFile("[UNK]\nhello\nworld\nhello\n")
        #expect(throws: TokenizerError.duplicateToken(token: "hello", line: 4)) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
    }

    @Test func emptyVocabularyLineNamesLine() throws {
        let path = try Fixtures.temporaryFile("[UNK]\nhello\n\nworld\n")
        #expect(throws: TokenizerError.malformedVocabularyLine(line: 3, reason: "empty token")) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
    }

    @Test func missingOovToken() {
        #expect(throws: TokenizerError.missingSpecialToken("[UNK]")) {
            try WordPieceTokenizer(vocabulary: ["a", "b"])
        }
    }

    @Test func missingSpecialToken() {
        #expect(throws: TokenizerError.missingSpecialToken("[MASK]")) {
            try WordPieceTokenizer(vocabulary: ["[UNK]", "[CLS]"], specialTokens: ["[CLS]", "[MASK]"])
        }
    }

    @Test func emptyVocabulary() {
        #expect(throws: TokenizerError.emptyVocabulary) { try WordPieceTokenizer(vocabulary: []) }
    }

    @Test func unreadableVocabularyFile() {
        #expect {
            try WordPieceTokenizer(vocabularyFile: "/nonexistent/vocab.txt")
        } throws: { error in
            guard case let .fileNotReadable(path, _) = error as? TokenizerError else { return false }
            return path == "/nonexistent/vocab.txt"
        }
    }

    // MARK: Byte pair

    /// A complete byte-level vocabulary: the 256 byte symbols, plus `extra`.
    static func byteVocabulary(_ extra: [String] = []) -> [String: Int32] {
        var vocabulary: [String: Int32] = [:]
        for b in 0..<256 {
            let tokenizerSymbol = byteSymbol(UInt8(b))
            vocabulary[tokenizerSymbol] = Int32(vocabulary.count)
        }
        for token in extra { vocabulary[token] = Int32(vocabulary.count) }
        return vocabulary
    }

    /// GPT-2's printable stand-in for a byte.
    static func byteSymbol(_ b: UInt8) -> String {
        let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
        if printable { return String(UnicodeScalar(b)) }
        var n: UInt32 = 0
        for x in 0..<Int(b) {
            let p = (0x21...0x7E).contains(x) || (0xA1...0xAC).contains(x) || (0xAE...0xFF).contains(x)
            if !p { n += 1 }
        }
        return String(Character(UnicodeScalar(256 + n)!))
    }

    /// Merge rules through symbols the vocabulary lacks load (KerasHub and transformers accept them):
    /// the rules still apply, and a piece that ends outside the vocabulary is dropped.
    @Test func mergesThroughSymbolsOutsideTheVocabularyLoad() throws {
        let vocabulary = Self.byteVocabulary(["ab"])
        let vocabPath = try Fixtures.temporaryFile(Data(JSONEncoder().encode(vocabulary)), name: "vocabulary.json")
        let mergesPath = try Fixtures.temporaryFile("#version: 0.2\na b\nab q€\nb c\n", name: "merges.txt")
        let tokenizer = try BytePairTokenizer(vocabularyFile: vocabPath, mergesFile: mergesPath)
        let ab = try #require(vocabulary["ab"])
        #expect(tokenizer.tokenize("ab") == [ab])
        // "bc" is merged but not in the vocabulary: the piece is dropped; "abq" never forms "q€".
        #expect(tokenizer.tokenize("bc") == [])
        #expect(tokenizer.tokenize("abq") == [ab, try #require(vocabulary["q"])])
    }

    @Test func malformedMergesLine() throws {
        #expect(throws: TokenizerError.malformedMergesLine(line: 2, text: "a b c")) {
            try BytePairTokenizer(vocabulary: Self.byteVocabulary(["ab"]), merges: ["a b", "a b c"])
        }
        let mergesPath = try Fixtures.temporaryFile("#version: 0.2\nab\n", name: "merges.txt")
        let vocabPath = try Fixtures.temporaryFile(
            Data(JSONEncoder().encode(Self.byteVocabulary())), name: "vocabulary.json")
        #expect(throws: TokenizerError.malformedMergesLine(line: 2, text: "ab")) {
            try BytePairTokenizer(vocabularyFile: vocabPath, mergesFile: mergesPath)
        }
    }

    @Test(arguments: ["{not json", "[1, 2, 3]", "{\"a\": \"x\"}", "{\"a\": 1.5}", "{\"a\": -3}"])
    func malformedVocabularyJSON(json: String) throws {
        let vocabPath = try Fixtures.temporaryFile(json, name: "vocabulary.json")
        let mergesPath = try Fixtures.temporaryFile("#version: 0.2\n", name: "merges.txt")
        #expect {
            try BytePairTokenizer(vocabularyFile: vocabPath, mergesFile: mergesPath)
        } throws: { error in
            guard case .malformedVocabularyJSON = error as? TokenizerError else { return false }
            return true
        }
    }

    @Test func duplicateIdInVocabularyJSON() {
        var vocabulary = Self.byteVocabulary()
        vocabulary["dup"] = 5
        #expect {
            try BytePairTokenizer(vocabulary: vocabulary, merges: [])
        } throws: { error in
            guard case let .duplicateTokenId(id, _) = error as? TokenizerError else { return false }
            return id == 5
        }
    }

    /// A vocabulary without some byte symbols loads, as in KerasHub and transformers; the byte is dropped.
    @Test func missingByteSymbolIsDropped() throws {
        var vocabulary = Self.byteVocabulary()
        vocabulary["a"] = nil
        let tokenizer = try BytePairTokenizer(vocabulary: vocabulary, merges: [])
        #expect(tokenizer.tokenize("bab") == [try #require(vocabulary["b"]), try #require(vocabulary["b"])])
        #expect(tokenizer.tokenize("a") == [])
    }

    @Test func missingUnsplittableToken() {
        #expect(throws: TokenizerError.missingSpecialToken("<|endoftext|>")) {
            try BytePairTokenizer(vocabulary: Self.byteVocabulary(), merges: [], unsplittableTokens: ["<|endoftext|>"])
        }
    }

    // MARK: SentencePiece

    @Test func corruptModelBytes() {
        #expect {
            try SentencePieceTokenizer(modelData: Array("this is not a model".utf8))
        } throws: { error in
            guard case .invalidSentencePieceModel = error as? TokenizerError else { return false }
            return true
        }
    }

    @Test func truncatedModelFile() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("botchan_en_unigram_1000.model")))
        let path = try Fixtures.temporaryFile(bytes.prefix(bytes.count / 3), name: "broken.model")
        #expect {
            try SentencePieceTokenizer(modelFile: path)
        } throws: { error in
            guard case .invalidSentencePieceModel = error as? TokenizerError else { return false }
            return true
        }
    }

    @Test func missingModelFile() {
        #expect {
            try SentencePieceTokenizer(modelFile: "/nonexistent/tokenizer.model")
        } throws: { error in
            guard case let .invalidSentencePieceModel(reason) = error as? TokenizerError else { return false }
            return !reason.isEmpty
        }
    }

    @Test func errorsDescribeTheirLocation() {
        #expect(TokenizerError.duplicateToken(token: "x", line: 7).description.contains("line 7"))
        #expect(TokenizerError.unknownMergeSymbol(line: 12, symbol: "q").description.contains("line 12"))
    }
}
