import Foundation
import Testing
import KerasHubTokenizers

/// KerasHub's `keras_hub/src/tokenizers/sentence_piece_tokenizer_test.py`, transcribed, on the same
/// model: `kerashub_tokenizer_test_vocab.spm`, a seven-piece WORD model trained on "the quick brown
/// fox." by `Tools/make_kerashub_test_protos.py` (byte for byte KerasHub's test file).
@Suite struct PeerSentencePieceCasesTests {
    static func tokenizer(addBos: Bool = false, addEos: Bool = false, sequenceLength: Int? = nil) throws -> SentencePieceTokenizer {
        try SentencePieceTokenizer(modelFile: Fixtures.path("kerashub_tokenizer_test_vocab.spm"), addBos: addBos, addEos: addEos,
                                   sequenceLength: sequenceLength)
    }

    /// `test_tokenizer_basics`, `test_tokenize`, `test_scalar_tokenize`.
    @Test func tokenizerBasics() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize(["the quick brown fox.", "the quick", "the", "quick brown fox."])
            == [[6, 5, 3, 4], [6, 5], [6], [5, 3, 4]])
        #expect(tokenizer.tokenize("the quick brown fox.") == [6, 5, 3, 4])
    }

    /// `test_dense_output`: padded with 0 to the sequence length.
    @Test func denseOutput() throws {
        #expect(try Self.tokenizer(sequenceLength: 10).tokenize(["the quick brown fox."]) == [[6, 5, 3, 4, 0, 0, 0, 0, 0, 0]])
    }

    /// `test_string_tokenize` and `test_string_bos_eos` (the pieces with `<s>` / `</s>` around them).
    @Test func stringTokenize() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenizeToPieces("the quick brown fox.") == ["▁the", "▁quick", "▁brown", "▁fox."])
        let wrapped = try Self.tokenizer(addBos: true, addEos: true)
        #expect(wrapped.tokenize("the quick brown fox.").compactMap(wrapped.idToToken)
            == ["<s>", "▁the", "▁quick", "▁brown", "▁fox.", "</s>"])
    }

    /// `test_scalar_bos_eos`.
    @Test func bosEos() throws {
        #expect(try Self.tokenizer(addBos: true, addEos: true).tokenize("the quick brown fox.") == [1, 6, 5, 3, 4, 2])
    }

    /// `test_detokenize`.
    @Test func detokenize() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.detokenize([6, 5, 3, 4]) == "the quick brown fox.")
        #expect(tokenizer.detokenize([[6, 5, 3, 4], [6, 4]]) == ["the quick brown fox.", "the fox."])
    }

    /// `test_accessors` and `test_error_id_out_of_vocabulary` (KerasHub raises; we answer `nil`).
    @Test func accessors() throws {
        let tokenizer = try Self.tokenizer()
        #expect((0..<Int32(tokenizer.vocabularySize)).compactMap(tokenizer.idToToken)
            == ["<unk>", "<s>", "</s>", "▁brown", "▁fox.", "▁quick", "▁the"])
        #expect(tokenizer.vocabularySize == 7)
        #expect(tokenizer.idToToken(0) == "<unk>")
        #expect(tokenizer.idToToken(5) == "▁quick")
        #expect(tokenizer.tokenToId("<unk>") == 0)
        #expect(tokenizer.tokenToId("▁quick") == 5)
        #expect(tokenizer.idToToken(7) == nil)
        #expect(tokenizer.idToToken(-1) == nil)
    }

    /// `test_from_bytes`.
    @Test func fromBytes() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("kerashub_tokenizer_test_vocab.spm"))))
        #expect(try SentencePieceTokenizer(modelData: bytes).tokenize(["the quick brown fox."]) == [[6, 5, 3, 4]])
        // Not a model: a typed error, as KerasHub raises on a bad proto.
        #expect(throws: TokenizerError.self) { try SentencePieceTokenizer(modelData: Array("dummy proto data".utf8)) }
    }
}
