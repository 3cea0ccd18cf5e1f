import Foundation
import Testing
@testable import KerasHubModels

/// ``XLMRobertaTokenizer`` against transformers' `XLMRobertaTokenizer` (goldens written by
/// `Tools/make_roberta_fixtures.py` on `botchan_en_unigram_1000.model`, a unigram SentencePiece
/// model laid out as XLM-RoBERTa's: `<unk>` 0, `<s>` 1, `</s>` 2) on the hostile corpus plus special
/// tokens in text, with and without special tokens.
@Suite struct XLMRobertaTokenizerTests {
    struct Golden: Decodable {
        let text: String
        let ids: [Int32]
        let idsWithSpecialTokens: [Int32]

        enum CodingKeys: String, CodingKey { case text, ids, idsWithSpecialTokens = "ids_with_special_tokens" }
    }

    static var modelFile: String {
        get throws { try ModelFixture.root.appendingPathComponent("tokenizers/botchan_en_unigram_1000.model").path }
    }

    static func goldens() throws -> [Golden] {
        let url = try ModelFixture.root.appendingPathComponent("tokenizers/xlm_roberta_goldens.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Golden.self, from: Data($0.utf8))
        }
    }

    @Test func matchesTransformersOnTheHostileCorpus() throws {
        let tokenizer = try XLMRobertaTokenizer(modelFile: Self.modelFile)
        #expect(tokenizer.vocabularySize == 1002)
        #expect(tokenizer.maskTokenId == 1001)
        let goldens = try Self.goldens()
        #expect(goldens.count > 140)
        let preprocessor = TextClassifierPreprocessor(tokenizer: tokenizer, specialIds: .init(xlmRoberta: tokenizer), sequenceLength: 4096)
        var mismatches: [String] = []
        for golden in goldens {
            let ids = tokenizer.tokenize(golden.text)
            if ids != golden.ids { mismatches.append("\(golden.text.debugDescription): \(ids) != \(golden.ids)") }
            let packed = try preprocessor([golden.text])
            if packed.tokenIds != golden.idsWithSpecialTokens {
                mismatches.append("with special tokens \(golden.text.debugDescription): \(packed.tokenIds) != \(golden.idsWithSpecialTokens)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(6).joined(separator: "\n"))")
    }

    @Test func vocabularyLookupsFollowFairseqsNumbering() throws {
        let tokenizer = try XLMRobertaTokenizer(modelFile: Self.modelFile)
        #expect((0..<4).map { tokenizer.idToToken(Int32($0)) } == ["<s>", "<pad>", "</s>", "<unk>"])
        #expect(tokenizer.idToToken(1001) == "<mask>" && tokenizer.tokenToId("<mask>") == 1001)
        #expect(tokenizer.idToToken(1002) == nil && tokenizer.idToToken(-1) == nil)
        let piece = try #require(tokenizer.sentencePiece.idToToken(10))
        #expect(tokenizer.tokenToId(piece) == 11 && tokenizer.idToToken(11) == piece)
        let ids = tokenizer.tokenize("The quick brown fox.")
        #expect(tokenizer.detokenize([0] + ids + [2, 1, 1001]) == "The quick brown fox.")
    }
}
