import Foundation
@testable import KerasHubModels
import KerasHubPresetData
import KerasHubTokenizers
import Testing

/// ``RobertaTokenizer`` against transformers' `RobertaTokenizerFast` (goldens written by
/// `Tools/make_roberta_fixtures.py`) on the hostile corpus plus special tokens in text, with and
/// without special tokens. The vocabulary is roberta-base's layout built from GPT-2's files, as the
/// script builds it: `<s> <pad> </s> <unk>`, GPT-2's tokens shifted by 4 (without `<|endoftext|>`),
/// then `<mask>`.
@Suite struct RobertaTokenizerTests {
    struct Golden: Decodable {
        let text: String
        let ids: [Int32]
        let idsWithSpecialTokens: [Int32]

        enum CodingKeys: String, CodingKey { case text, ids, idsWithSpecialTokens = "ids_with_special_tokens" }
    }

    static func tokenizer() throws -> RobertaTokenizer {
        let vocabularies = try #require(PresetData.url(for: "vocabularies"))
        let gpt2 = try JSONDecoder().decode([String: Int32].self, from: Data(contentsOf: vocabularies.appendingPathComponent("gpt2_vocab.json")))
        var vocabulary: [String: Int32] = ["<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3]
        for (token, id) in gpt2 where token != "<|endoftext|>" { vocabulary[token] = id + 4 }
        vocabulary["<mask>"] = (vocabulary.values.max() ?? 0) + 1
        let merges = try String(contentsOf: vocabularies.appendingPathComponent("gpt2_merges.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init).filter { !$0.hasPrefix("#version") }
        return try RobertaTokenizer(vocabulary: vocabulary, merges: merges)
    }

    static func goldens() throws -> [Golden] {
        let url = try ModelFixture.root.appendingPathComponent("tokenizers/roberta_goldens.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Golden.self, from: Data($0.utf8))
        }
    }

    @Test func matchesTransformersOnTheHostileCorpus() throws {
        let tokenizer = try Self.tokenizer()
        let goldens = try Self.goldens()
        #expect(goldens.count > 140)
        let preprocessor = TextClassifierPreprocessor(
            tokenizer: tokenizer, specialIds: .init(roberta: tokenizer), sequenceLength: 4096)
        var mismatches: [String] = []
        for golden in goldens {
            let ids = tokenizer.tokenize(golden.text)
            if ids != golden.ids { mismatches.append("\(golden.text.debugDescription): \(ids) != \(golden.ids)") }
            let packed = try preprocessor([golden.text])
            if packed.tokenIds != golden.idsWithSpecialTokens {
                mismatches.append("with special tokens \(golden.text.debugDescription): \(packed.tokenIds) != \(golden.idsWithSpecialTokens)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
        #expect(tokenizer.tokenize(goldens.map(\.text)) == goldens.map(\.ids))
    }

    @Test func pairsPackAsRobertaDoes() throws {
        let tokenizer = try Self.tokenizer()
        let preprocessor = TextClassifierPreprocessor(tokenizer: tokenizer, specialIds: .init(roberta: tokenizer), sequenceLength: 64)
        let batch = try preprocessor(pairs: [("a b", "c")])
        let a = tokenizer.tokenize("a b"), c = tokenizer.tokenize("c")
        #expect(batch.tokenIds == [0] + a + [2, 2] + c + [2])
    }

    @Test func missingSpecialTokensAreTyped() throws {
        #expect(throws: TokenizerError.self) {
            try RobertaTokenizer(vocabulary: ["a": 0], merges: [])
        }
    }
}
