import Foundation
import Testing
import KerasHubTokenizers

/// WordPiece with KerasHub's options, against KerasHub 0.32's own `WordPieceTokenizer` on
/// bert-base-uncased's vocabulary and the hostile corpus (`goldens_kerashub_wordpiece.jsonl`, written
/// by `Tools/make_kerashub_tokenizer_goldens.py`): KerasHub's BERT presets lowercase without
/// stripping accents, unlike transformers' uncased BERT.
@Suite struct KerasHubWordPieceParityTests {
    @Test(arguments: [(true, false), (true, true), (false, false)])
    func everyCorpusLineMatchesKerasHub(lowercase: Bool, stripAccents: Bool) throws {
        let tokenizer = try WordPieceTokenizer(
            vocabularyFile: Fixtures.path("bert_base_uncased_vocab.txt"), lowercase: lowercase, stripAccents: stripAccents,
            textHandling: .kerasHub)
        let rows = try Fixtures.jsonLines("goldens_kerashub_wordpiece.jsonl")
        #expect(rows.count == 131)
        let key = "\(lowercase)_\(stripAccents)"
        var wrong: [String] = []
        for row in rows {
            let text = try #require(row["text"] as? String)
            let expected = try #require(row[key] as? [Int]).map(Int32.init)
            let ids = tokenizer.tokenize(text)
            if ids != expected { wrong.append("\(text.debugDescription): \(ids) != \(expected)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(rows.count): \(wrong.prefix(4).joined(separator: "\n"))")
    }
}
