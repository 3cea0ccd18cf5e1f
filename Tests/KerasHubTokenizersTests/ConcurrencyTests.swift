import Foundation
import Testing
@testable import KerasHubTokenizers

/// One tokenizer serves many tasks at once with exactly the answers of serial use (the BPE merge
/// cache and the SentencePiece handle are shared). Run under ThreadSanitizer by Tools/sanitizers/tsan.sh.
@Suite struct TokenizerConcurrencyTests {
    static let tasks = 32

    static func tokenizers() throws -> [(String, any TokenizerProtocol)] {
        [("wordpiece", try WordPieceTokenizer(vocabularyFile: Fixtures.path("bert_base_uncased_vocab.txt"), lowercase: true)),
         ("bpe", try BytePairTokenizer(vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"))),
         ("sentencepiece", try SentencePieceTokenizer(modelFile: Fixtures.path("botchan_en_unigram_1000.model"), addBos: true)),
         ("sentencepiece-bpe", try SentencePieceTokenizer(modelFile: Fixtures.path("botchan_en_bpe_1000.model")))]
    }

    @Test func tokenizeAndDetokenizeGiveSerialAnswersFromManyTasks() async throws {
        let texts = try Fixtures.corpus()
        for (name, tokenizer) in try Self.tokenizers() {
            let serialIds = texts.map { tokenizer.tokenize($0) }
            let serialTexts = serialIds.map { tokenizer.detokenize($0) }
            let results = await withTaskGroup(of: (Int, [[Int32]], [String]).self) { group in
                for task in 0..<Self.tasks {
                    group.addTask {
                        // Each task walks the corpus from another starting point, so tasks race on
                        // different texts (and on the BPE cache's insertions).
                        let order = (0..<texts.count).map { (task * 7 + $0) % texts.count }
                        var ids = [[Int32]](repeating: [], count: texts.count)
                        var decoded = [String](repeating: "", count: texts.count)
                        for index in order {
                            ids[index] = tokenizer.tokenize(texts[index])
                            decoded[index] = tokenizer.detokenize(ids[index])
                        }
                        return (task, ids, decoded)
                    }
                }
                var results: [(Int, [[Int32]], [String])] = []
                for await result in group { results.append(result) }
                return results
            }
            #expect(results.count == Self.tasks)
            for (task, ids, decoded) in results {
                #expect(ids == serialIds, "\(name): task \(task) tokenized differently")
                #expect(decoded == serialTexts, "\(name): task \(task) detokenized differently")
            }
            // The batch API (which itself splits work across threads) agrees too.
            #expect(tokenizer.tokenize(texts) == serialIds, "\(name): batch tokenize")
        }
    }
}
