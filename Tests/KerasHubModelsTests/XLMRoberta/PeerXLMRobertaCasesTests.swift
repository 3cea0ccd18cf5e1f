import Testing
import KerasHubModels
import KerasHubTokenizers

/// KerasHub's `keras_hub/src/models/xlm_roberta/xlm_roberta_tokenizer_test.py`, transcribed, on the
/// same model: `kerashub_xlm_roberta_test_vocab.spm` (a WORD model with `<pad>` 0, `<unk>` 1,
/// `[CLS]`, `[SEP]`, `[MASK]`, then seven words), trained by `Tools/make_kerashub_test_protos.py`
/// byte for byte as KerasHub's test file. KerasHub accepts a model whose `<unk>` is not at id 0 and
/// numbers it as it numbers XLM-RoBERTa's own.
@Suite struct PeerXLMRobertaCasesTests {
    static func tokenizer() throws -> XLMRobertaTokenizer {
        let path = try ModelFixture.root.appendingPathComponent("tokenizers/kerashub_xlm_roberta_test_vocab.spm").path
        return try XLMRobertaTokenizer(modelFile: path, textHandling: .kerasHub)
    }

    /// `test_tokenizer_basics`.
    @Test func tokenizerBasics() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.tokenize(["the quick brown fox", "the earth is round"]) == [[6, 11, 7, 9], [6, 8, 10, 12]])
        // The layer's vocabulary (`get_vocabulary`): the four fairseq tokens, the model's pieces after
        // its third, `<mask>`.
        #expect(tokenizer.vocabularySize == 14)
        #expect((0..<14).compactMap { tokenizer.idToToken(Int32($0)) }
            == ["<s>", "<pad>", "</s>", "<unk>", "[SEP]", "[MASK]", "▁the", "▁brown", "▁earth", "▁fox", "▁is", "▁quick", "▁round", "<mask>"])
        #expect(tokenizer.detokenize([6, 11, 7, 9]) == "the quick brown fox")
        // An unknown word is this model's `<unk>` (1) renumbered, 2: KerasHub 0.32 gives `[6, 2]`.
        #expect(tokenizer.tokenize("the zebra") == [6, 2])
    }

    /// transformers' layout still requires XLM-RoBERTa's own special-piece order.
    @Test func transformersLayoutRefusesAnotherOrder() throws {
        let path = try ModelFixture.root.appendingPathComponent("tokenizers/kerashub_xlm_roberta_test_vocab.spm").path
        #expect(throws: TokenizerError.self) { try XLMRobertaTokenizer(modelFile: path, textHandling: .transformers) }
    }
}
