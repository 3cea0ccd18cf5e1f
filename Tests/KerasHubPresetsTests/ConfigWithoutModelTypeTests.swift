import Foundation
import KerasHubModels
@testable import KerasHubPresets
import Testing

/// Checkpoints published before transformers wrote `model_type` (google/bert_uncased_L-*) load by
/// their keys.
@Suite struct ConfigWithoutModelTypeTests {
    @Test func theFamilyIsToldByTheKeys() {
        #expect(TransformersConfig.inferredModelType(keys: ["hidden_size", "num_hidden_layers", "vocab_size"]) == "bert")
        #expect(TransformersConfig.inferredModelType(keys: ["dim", "n_layers", "hidden_dim"]) == "distilbert")
        #expect(TransformersConfig.inferredModelType(keys: ["n_embd", "n_layer", "n_head"]) == "gpt2")
        #expect(TransformersConfig.inferredModelType(keys: ["vocab_size"]) == nil)
    }

    /// A fixture checkpoint whose config lost its `model_type` loads to the same outputs.
    @Test(arguments: ["bert_a", "distilbert_a", "gpt2_a"])
    func aCheckpointWithoutModelTypeLoads(name: String) throws {
        let fixture = Repository.modelFixture(name)
        let directory = try makeTemporaryDirectory("kh-no-model-type")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.appendingPathComponent("config.json"))) as? [String: Any])
        config["model_type"] = nil
        config["architectures"] = nil
        try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("model.safetensors"), to: directory.appendingPathComponent("model.safetensors"))

        let original = try Backbone.fromPreset(fixture.path)
        let loaded = try Backbone.fromPreset(directory.path)
        #expect(type(of: loaded) == type(of: original))
        let batch = try TokenBatch(tokenIds: [[1, 2, 3, 4]])
        #expect(try loaded(batch).sequenceOutput == original(batch).sequenceOutput)
    }

    @Test func aConfigThatTellsNothingIsStillAnError() throws {
        let directory = try makeTemporaryDirectory("kh-no-model-type")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"{"vocab_size": 10}"#.utf8).write(to: directory.appendingPathComponent("config.json"))
        #expect(throws: PresetError.self) { try Backbone.fromPreset(directory.path) }
    }
}
