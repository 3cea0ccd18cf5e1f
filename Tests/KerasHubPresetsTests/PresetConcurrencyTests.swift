import Foundation
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTokenizers
import Testing

/// The bundled preset's backbone and tokenizer, loaded once, serve many tasks at once with the
/// answers of serial use (run under ThreadSanitizer by Tools/sanitizers/tsan.sh).
@Suite struct PresetConcurrencyTests {
    @Test func bundledBackboneAndTokenizerFromManyTasks() async throws {
        let backbone = try Backbone.fromPreset("all_minilm_l6_v2_en")
        let tokenizer = try Tokenizer.fromPreset("all_minilm_l6_v2_en")
        let texts = ["The quick brown fox.", "Crème brûlée, naïve café — 東京", "", "a b c d e f g", "Hello, world!", "Tokenizers share caches."]
        func run(_ text: String) throws -> [Float] {
            let ids = [101] + tokenizer.tokenize(text) + [102]
            return try backbone(TokenBatch(tokenIds: [ids])).sequenceOutput.scalars
        }
        let serial = try texts.map(run)
        let results = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for task in 0..<16 {
                let index = task % texts.count
                group.addTask { (index, try run(texts[index])) }
            }
            var results: [(Int, [Float])] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(results.count == 16)
        for (index, scalars) in results { #expect(scalars == serial[index], "text \(index)") }
    }
}
