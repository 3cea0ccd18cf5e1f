import Foundation
import Testing
import KerasHubTokenizers

/// Byte-level BPE as KerasHub 0.32's `BytePairTokenizer` tokenizes (no pre-split: its Llama 3 regex
/// reaches the tokenizers library as a plain string), against KerasHub itself on GPT-2's vocabulary (`goldens_kerashub_bpe.jsonl`, written by
/// `Tools/make_kerashub_tokenizer_goldens.py`): the parity corpus, the inputs of KerasHub's
/// `byte_pair_tokenizer_test.py`, and 600 seeded lines of white space, digits and contractions.
@Suite struct KerasHubBytePairParityTests {
    struct Golden: Decodable {
        let text: String
        let ids: [Int32]
        let idsPrefixSpace: [Int32]
        enum CodingKeys: String, CodingKey { case text, ids, idsPrefixSpace = "ids_prefix_space" }
    }

    static func goldens() throws -> [Golden] {
        try String(contentsOfFile: Fixtures.path("goldens_kerashub_bpe.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Golden.self, from: Data($0.utf8)) }
    }

    static func tokenizer(addPrefixSpace: Bool, splitPattern: BytePairTokenizer.SplitPattern = .wholeText) throws -> BytePairTokenizer {
        try BytePairTokenizer(
            vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"),
            addPrefixSpace: addPrefixSpace, unsplittableTokens: ["<|endoftext|>"], splitPattern: splitPattern)
    }

    @Test(arguments: [false, true])
    func everyLineMatchesKerasHub(addPrefixSpace: Bool) throws {
        let tokenizer = try Self.tokenizer(addPrefixSpace: addPrefixSpace)
        let goldens = try Self.goldens()
        #expect(goldens.count == 746)
        let wrong = goldens.filter { tokenizer.tokenize($0.text) != (addPrefixSpace ? $0.idsPrefixSpace : $0.ids) }
        func pieces(_ ids: [Int32]) -> String { ids.compactMap(tokenizer.idToToken).joined(separator: "|") }
        #expect(wrong.isEmpty, "\(wrong.count) of \(goldens.count): \(wrong.prefix(6).map { "\($0.text.debugDescription): \(pieces(tokenizer.tokenize($0.text))) != \(pieces(addPrefixSpace ? $0.idsPrefixSpace : $0.ids))" }.joined(separator: "\n"))")
        // The batch path (per-worker caches) gives the same ids.
        #expect(tokenizer.tokenize(goldens.map(\.text)) == goldens.map { tokenizer.tokenize($0.text) })
    }

    /// keras_hub/src/tokenizers/byte_pair_tokenizer_test.py's string-output cases
    /// (`test_tokenize_string_output`, `test_tokenize_prefix_space`, `test_detokenize_list_input`),
    /// which hold for GPT-2's vocabulary too: RoBERTa's has the same pieces and merges, other ids.
    @Test func kerasHubStringCases() throws {
        let tokenizer = try Self.tokenizer(addPrefixSpace: false)
        let prefixed = try Self.tokenizer(addPrefixSpace: true)
        #expect(tokenizer.tokenize(["quick brown fox.", "slow black bear."]).map { $0.compactMap(tokenizer.idToToken) }
            == [["quick", "Ġbrown", "Ġfox", "."], ["slow", "Ġblack", "Ġbear", "."]])
        #expect(prefixed.tokenize(["brown.", "black."]).map { $0.compactMap(prefixed.idToToken) } == [["Ġbrown", "."], ["Ġblack", "."]])
        #expect(tokenizer.detokenize(tokenizer.tokenize(["quick brown fox.", "slow bear"])) == ["quick brown fox.", "slow bear"])
    }

    /// The two patterns differ where KerasHub's byte_pair_tokenizer_test.py says they must:
    /// `"Hello\n\nHello"` keeps `\n\n` whole where GPT-2's regex splits it.
    @Test func patternsDifferOnNewlineRuns() throws {
        let kerasHub = try Self.tokenizer(addPrefixSpace: false)
        let gpt2 = try Self.tokenizer(addPrefixSpace: false, splitPattern: .gpt2)
        #expect(kerasHub.tokenize("Hello\n\nHello").compactMap(kerasHub.idToToken) == ["Hello", "ĊĊ", "Hello"])
        #expect(gpt2.tokenize("Hello\n\nHello").compactMap(gpt2.idToToken) == ["Hello", "Ċ", "Ċ", "Hello"])
        #expect(kerasHub.splitPattern == .wholeText && gpt2.splitPattern == .gpt2)
    }
}
