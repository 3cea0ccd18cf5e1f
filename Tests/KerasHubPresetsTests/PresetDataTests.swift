import Foundation
import KerasHubPresetData
import KerasHubPresets
import Testing

@Test func bundledVocabulariesAreReachable() throws {
    let vocab = try #require(PresetData.url(for: "vocabularies"))
    let text = try String(contentsOf: vocab.appendingPathComponent("bert_base_uncased_vocab.txt"), encoding: .utf8)
    #expect(text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().count == 30522)
}
