import Foundation
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTensor
import Testing

@Suite struct EmbedderTests {
    /// Pooling over a random BERT backbone, against pooling written out by hand.
    @Test(arguments: PoolingMode.allCases)
    func poolingFollowsThePaddingMask(mode: PoolingMode) throws {
        let backbone = try Backbone.fromPreset(Repository.modelFixture("bert_a").path)
        let inputs = try TokenBatch(tokenIds: [[5, 6, 7, 8], [9, 10, 0, 0]], paddingMask: [[true, true, true, true], [true, true, false, false]])
        let states = try backbone(inputs).sequenceOutput
        for normalize in [false, true] {
            let vectors = try BertTextEmbedder(backbone: backbone, poolingMode: mode, normalize: normalize)(inputs)
            for row in 0..<2 {
                let real = row == 0 ? 4 : 2
                var expected = (0..<30).map { column -> Float in
                    let values = (0..<real).map { states[row, $0, column] }
                    switch mode {
                    case .mean: return values.reduce(0, +) / Float(real)
                    case .cls: return values[0]
                    case .max: return values.max() ?? 0
                    }
                }
                if normalize {
                    let norm = expected.map { $0 * $0 }.reduce(0, +).squareRoot()
                    expected = expected.map { $0 / norm }
                }
                for column in 0..<30 {
                    #expect(abs(vectors[row, column] - expected[column]) < 1e-5, "\(mode) row \(row) column \(column)")
                }
            }
        }
    }

    @Test func embedderWithoutPreprocessorRefusesText() throws {
        let backbone = try Backbone.fromPreset(Repository.modelFixture("bert_a").path)
        #expect(throws: TaskError.noPreprocessor("BertTextEmbedder")) { try BertTextEmbedder(backbone: backbone).embed(["hi"]) }
    }

    @Test func sentenceTransformersPoolingConfigIsRead() throws {
        let directory = try makeTemporaryDirectory("kh-st")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#.utf8)
            .write(to: directory.appendingPathComponent("modules.json"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        try Data(#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}"#.utf8)
            .write(to: directory.appendingPathComponent("1_Pooling/config.json"))
        let (mode, normalize) = try BertTextEmbedder.poolingSettings(PresetDirectory(url: directory))
        #expect(mode == .cls && !normalize)
    }
}

/// The bundled embedder against sentence-transformers (large tier).
@Suite(.enabled(if: Tier.large, "large tier: set KERAS_HUB_RUN_LARGE=1"))
struct BundledEmbedderTests {
    struct Golden: Decodable { var sentences: [String]; var input_ids: [[Int32]]; var attention_mask: [[Int32]] }

    @Test func reproducesSentenceTransformersVectorsAndTokenIds() throws {
        let directory = Repository.modelFixture("minilm")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: directory.appendingPathComponent("golden.json")))
        let expected = try SafetensorsFile(contentsOf: directory.appendingPathComponent("golden.safetensors")).tensor(named: "sentence_embedding")
        let embedder = try BertTextEmbedder.fromPreset("all_minilm_l6_v2_en")
        let preprocessor = try #require(embedder.preprocessor)
        #expect(preprocessor.sequenceLength == 256)
        // Tokenization with [CLS]/[SEP] equals transformers' for every sentence.
        let packed = try preprocessor(golden.sentences)
        for (row, ids) in golden.input_ids.enumerated() {
            let length = golden.attention_mask[row].filter { $0 != 0 }.count
            #expect(Array(packed.tokenIds[(row * packed.sequenceLength)..<(row * packed.sequenceLength + length)]) == Array(ids.prefix(length)))
        }
        let vectors = try embedder.embed(golden.sentences, batchSize: 3)
        for (row, vector) in vectors.enumerated() {
            let reference = (0..<384).map { expected[row, $0] }
            let worst = zip(vector, reference).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4, "sentence \(row): max |diff| \(worst)")
            #expect(BertTextEmbedder.similarity(vector, reference) >= 0.99999)
        }
    }

    @Test func ranksAnObviousSemanticSearch() throws {
        let embedder = try BertTextEmbedder.fromPreset("all_minilm_l6_v2_en")
        let documents = ["Mars is often referred to as the Red Planet.", "Venus is often called Earth's twin.",
                         "The stock market fell sharply on Monday.", "A recipe for chocolate chip cookies."]
        let vectors = try embedder.embed(["Which planet is known as the Red Planet?"] + documents)
        let scores = documents.indices.map { BertTextEmbedder.similarity(vectors[0], vectors[$0 + 1]) }
        #expect(scores.firstIndex(of: scores.max()!) == 0, "\(scores)")
        #expect(scores[0] > 0.5 && scores[2] < 0.2, "\(scores)")
    }
}
