import Foundation
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTensor
import Testing

/// The bundled all-MiniLM-L6-v2 against transformers' outputs for the same float16-rounded weights
/// (large tier; golden files from Tools/make_minilm_golden.py).
@Suite(.enabled(if: Tier.large, "large tier: set KERAS_HUB_RUN_LARGE=1"))
struct BundledPresetTests {
    struct Golden: Decodable {
        var sentences: [String]
        var input_ids: [[Int32]]
        var attention_mask: [[Int32]]
        var token_type_ids: [[Int32]]
    }

    static let directory = Repository.modelFixture("minilm")

    func golden() throws -> (Golden, SafetensorsFile) {
        (try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.directory.appendingPathComponent("golden.json"))),
         try SafetensorsFile(contentsOf: Self.directory.appendingPathComponent("golden.safetensors")))
    }

    @Test func bundledBackboneMatchesTransformers() throws {
        let (golden, expected) = try golden()
        let backbone = try BertBackbone.fromPreset("all_minilm_l6_v2_en")
        #expect(backbone.parameterCount == 22_713_216)
        let mask = golden.attention_mask.map { $0.map { $0 != 0 } }
        let output = try backbone(TokenBatch(tokenIds: golden.input_ids, paddingMask: mask, segmentIds: golden.token_type_ids))
        let sequenceDifference = maxDifference(output.sequenceOutput, try expected.tensor(named: "last_hidden_state"), rowMask: mask.flatMap { $0 })
        #expect(sequenceDifference <= 1e-4, "last_hidden_state max |diff| \(sequenceDifference)")
        let pooled = try #require(output.pooledOutput)
        let pooledDifference = maxDifference(pooled, try expected.tensor(named: "pooler_output"))
        #expect(pooledDifference <= 1e-4, "pooler_output max |diff| \(pooledDifference)")
        // KerasHub's run_preset_test style check: shape and first values.
        #expect(output.sequenceOutput.shape == [golden.input_ids.count, golden.input_ids[0].count, 384])

        // Sentence embeddings: mean pooling over the mask, then L2 normalisation.
        let embeddings = try expected.tensor(named: "sentence_embedding")
        for row in 0..<golden.input_ids.count {
            var pooledRow = [Float](repeating: 0, count: 384)
            let length = golden.input_ids[0].count
            let count = Float(mask[row].filter { $0 }.count)
            for position in 0..<length where mask[row][position] {
                for column in 0..<384 { pooledRow[column] += output.sequenceOutput[row, position, column] / count }
            }
            let norm = pooledRow.map { $0 * $0 }.reduce(0, +).squareRoot()
            let reference = (0..<384).map { embeddings[row, $0] }
            let cosine = zip(pooledRow, reference).map { $0 * $1 }.reduce(0, +) / norm
            #expect(cosine >= 0.99999, "sentence \(row): cosine \(cosine)")
        }
    }

    @Test func bundledPresetIsInTheKerasHubLayout() throws {
        let directory = try PresetResolver.resolve("all_minilm_l6_v2_en", for: .backbone(loadWeights: true))
        #expect(try directory.layout() == .kerasHub)
        for file in ["config.json", "metadata.json", "tokenizer.json", "preprocessor.json", "task.json",
                     "model.safetensors", "assets/tokenizer/vocabulary.txt"] {
            #expect(directory.has(file), "\(file)")
        }
        let weights = try SafetensorsFile(contentsOf: directory.file("model.safetensors"))
        #expect(weights.tensorNames.allSatisfy { weights.dtype(of: $0) == .f16 })
    }
}
