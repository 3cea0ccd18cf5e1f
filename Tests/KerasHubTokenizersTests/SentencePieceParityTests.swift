import Foundation
import Testing
import KerasHubTokenizers

/// SentencePiece against the `sentencepiece` Python package on three real models.
@Suite struct SentencePieceParityTests {
    static let models = ["botchan_en_unigram_1000", "botchan_en_bpe_1000", "mistral_v1_bpe_32000"]

    @Test(arguments: models)
    func everyCorpusLineMatchesReference(model: String) throws {
        let tokenizer = try SentencePieceTokenizer(modelFile: Fixtures.path("\(model).model"))
        let corpus = try Fixtures.corpus()
        let goldens = try Fixtures.goldens("goldens_sp_\(model).jsonl")
        #expect(corpus.count == goldens.count)
        var matched = 0
        for (index, (text, golden)) in zip(corpus, goldens).enumerated() {
            let ids = tokenizer.tokenize(text)
            #expect(tokenizer.detokenize(golden.ids) == golden.decoded, "\(model) line \(index + 1)")
            #expect(ids == golden.ids, "\(model) line \(index + 1)")
            #expect(tokenizer.tokenizeToPieces(text) == golden.pieces, "\(model) line \(index + 1)")
            if ids == golden.ids { matched += 1 }
        }
        #expect(matched == corpus.count)
    }

    /// Our reading of the model's normalizer (its precompiled charsmap and white-space rules, without
    /// segmenting) gives sentencepiece 0.2.3's `normalize()` on every corpus line: NFKC folds,
    /// full-width forms, ligatures, control characters, repeated and leading spaces.
    @Test(arguments: models)
    func normalizerMatchesReference(model: String) throws {
        let tokenizer = try SentencePieceTokenizer(modelFile: Fixtures.path("\(model).model"))
        #expect(tokenizer.readsNormalizerRules)
        let corpus = try Fixtures.corpus()
        let expected = try Fixtures.jsonLines("goldens_sp_\(model).jsonl").map { $0["normalized"] as? String }
        #expect(corpus.count == expected.count)
        // Compared as bytes: Swift's `==` on strings would accept a canonically equivalent answer.
        let wrong = zip(corpus, expected).filter { Array(tokenizer.normalized($0.0).utf8) != $0.1.map { Array($0.utf8) } }
        #expect(wrong.isEmpty, "\(wrong.count): \(wrong.prefix(3).map { "\($0.0.debugDescription): \(tokenizer.normalized($0.0).debugDescription) != \(String(describing: $0.1))" })")
        // The rules do fold text on this corpus (the comparison is not of identities).
        #expect(zip(corpus, expected).contains { "\u{2581}" + $0.0.replacingOccurrences(of: " ", with: "\u{2581}") != $0.1 })
    }

    /// Unigram ties (runs like `---`, where Debian's libsentencepiece 0.1.97 gives `--|-` and current
    /// sentencepiece `-|--`) are broken as sentencepiece 0.2.3 breaks them, on 400 seeded tie-heavy
    /// lines (`goldens_sp_ties.jsonl`, `Tools/make_tokenizer_goldens.py`).
    @Test func unigramTiesAreBrokenAsCurrentSentencePiece() throws {
        struct Tie: Decodable {
            let model: String
            let text: String
            let ids: [Int32]
            let pieces: [String]
        }
        let lines = try String(contentsOfFile: Fixtures.path("goldens_sp_ties.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Tie.self, from: Data($0.utf8)) }
        #expect(lines.count == 400)
        let tokenizer = try SentencePieceTokenizer(modelFile: Fixtures.path("botchan_en_unigram_1000.model"))
        let wrong = lines.filter { tokenizer.tokenize($0.text) != $0.ids || tokenizer.tokenizeToPieces($0.text) != $0.pieces }
        #expect(wrong.isEmpty, "\(wrong.count) of 400: \(wrong.prefix(3).map { "\($0.text.debugDescription): \(tokenizer.tokenizeToPieces($0.text)) != \($0.pieces)" })")
    }

    @Test func loadsFromBytesAndAddsBosEos() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("mistral_v1_bpe_32000.model"))))
        let plain = try SentencePieceTokenizer(modelData: bytes)
        let wrapped = try SentencePieceTokenizer(modelData: bytes, addBos: true, addEos: true)
        #expect(plain.vocabularySize == 32000)
        #expect(plain.bosTokenId == 1)
        #expect(plain.eosTokenId == 2)
        #expect(plain.unkTokenId == 0)
        let ids = plain.tokenize("The quick brown fox.")
        #expect(wrapped.tokenize("The quick brown fox.") == [1] + ids + [2])
        #expect(wrapped.detokenize([1] + ids + [2]) == "The quick brown fox.")
        #expect(plain.tokenToId("▁The") == 415)
        #expect(plain.idToToken(415) == "▁The")
        #expect(plain.tokenToId("definitely-not-a-piece") == nil)
        #expect(plain.specialTokens == ["<unk>", "<s>", "</s>"])
        #expect(plain.specialTokenIds == [0, 1, 2])
    }

    @Test func batchEqualsOneByOne() throws {
        let tokenizer = try SentencePieceTokenizer(modelFile: Fixtures.path("botchan_en_unigram_1000.model"))
        let corpus = try Fixtures.corpus()
        #expect(tokenizer.tokenize(corpus) == corpus.map { tokenizer.tokenize($0) })
    }
}
