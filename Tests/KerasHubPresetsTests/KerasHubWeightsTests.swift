import Foundation
import KerasHubModels
import KerasHubTensor
import Testing
@testable import KerasHubPresets

/// Presets written by real KerasHub 0.32 with random weights (`Tools/make_kerashub_presets.py`):
/// `model.weights.h5` and sharded `model.weights.json`, `task.weights.h5`, read through each family's
/// Keras paths, reproduce KerasHub's own outputs.
@Suite struct KerasHubWeightsTests {
    struct BackboneOutputs: Decodable {
        let tokenIds: [[Int32]]
        let paddingMask: [[Bool]]
        let segmentIds: [[Int32]]?
        let sequenceOutput: [Float]
        let pooledOutput: [Float]?
        let shape: [Int]

        enum CodingKeys: String, CodingKey {
            case tokenIds = "token_ids", paddingMask = "padding_mask", segmentIds = "segment_ids"
            case sequenceOutput = "sequence_output", pooledOutput = "pooled_output", shape
        }
    }

    struct ClassifierOutputs: Decodable {
        let texts: [String]
        let logits: [[Float]]
    }

    struct Generations: Decodable {
        struct Generation: Decodable {
            let prompt: String
            let promptIds: [Int32]
            let tokenIds: [Int32]
            enum CodingKeys: String, CodingKey { case prompt, promptIds = "prompt_ids", tokenIds = "token_ids" }
        }
        let generations: [Generation]
    }

    static func directory(_ name: String) -> URL { KerasHubWrittenPresetTests.directory(name) }

    static func outputs<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: directory(name).appendingPathComponent("outputs.json")))
    }

    static func largestDifference(_ actual: Tensor, _ expected: [Float]) -> Float {
        guard actual.count == expected.count else { return .infinity }
        return zip(actual.scalars, expected).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    static let backbones = [
        "bert_backbone", "distil_bert_backbone", "gpt2_backbone", "roberta_backbone", "xlm_roberta_backbone",
        "bert_backbone_sharded", "distil_bert_backbone_sharded", "gpt2_backbone_sharded", "roberta_backbone_sharded",
        "xlm_roberta_backbone_sharded",
    ]

    /// Every backbone, single-file and sharded, gives KerasHub's outputs at |diff| <= 1e-4.
    @Test(arguments: backbones) func backboneMatchesKerasHub(name: String) throws {
        let directory = Self.directory(name)
        if name.hasSuffix("_sharded") {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.weights.json").path))
        }
        let expected = try Self.outputs(name, as: BackboneOutputs.self)
        let backbone = try Backbone.fromPreset(directory.path)
        let batch = try TokenBatch(tokenIds: expected.tokenIds, paddingMask: expected.paddingMask, segmentIds: expected.segmentIds)
        let outputs = try backbone(batch)
        #expect(outputs.sequenceOutput.shape == expected.shape)
        #expect(Self.largestDifference(outputs.sequenceOutput, expected.sequenceOutput) <= 1e-4, "\(name) sequence_output")
        if let pooled = expected.pooledOutput {
            let ours = try #require(outputs.pooledOutput)
            #expect(Self.largestDifference(ours, pooled) <= 1e-4, "\(name) pooled_output")
        }
    }

    /// Classifiers with `task.weights.h5`: text through KerasHub's preprocessor config to KerasHub's logits.
    @Test(arguments: ["bert_classifier", "roberta_classifier", "xlm_roberta_classifier"])
    func classifierMatchesKerasHub(name: String) throws {
        let expected = try Self.outputs(name, as: ClassifierOutputs.self)
        let classifier = try TextClassifier.fromPreset(Self.directory(name).path)
        let logits = try classifier.predict(expected.texts)
        #expect(logits.shape == [expected.texts.count, expected.logits.first?.count ?? 0])
        #expect(Self.largestDifference(logits, expected.logits.flatMap { $0 }) <= 1e-4, "\(name) logits")
    }

    /// GPT-2 with greedy search continues each prompt with KerasHub's token ids.
    @Test func causalLMGeneratesKerasHubsTokens() throws {
        let expected = try Self.outputs("gpt2_causal_lm", as: Generations.self)
        let causalLM = try CausalLM.fromPreset(Self.directory("gpt2_causal_lm").path)
        for generation in expected.generations {
            let ours = try causalLM.generate(tokenIds: [generation.promptIds], maxLength: generation.tokenIds.count)
            #expect(ours == [generation.tokenIds], "\(generation.prompt)")
        }
    }
}
