import Foundation
import KerasHubLayers
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTensor
import Testing

/// Every bad preset input is a typed error naming the file and what is wrong (issue: presets, "Bad input").
@Suite struct PresetBadInputTests {
    /// A copy of a fixture checkpoint to damage.
    func copy(_ fixture: String) throws -> URL {
        let directory = try makeTemporaryDirectory("kh-bad-\(fixture)")
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: Repository.modelFixture(fixture).appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        return directory
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test func missingConfigAndUnknownClasses() throws {
        let empty = try makeTemporaryDirectory("kh-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: PresetError.missingFile(file: empty.appendingPathComponent("config.json").path)) { try Backbone.fromPreset(empty.path) }

        let directory = try copy("bert_a")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json")
        try Data(#"{"model_type": "t5", "vocab_size": 5}"#.utf8).write(to: config)
        #expect(throws: PresetError.unknownClass(file: config.path, name: "t5", known: ModelFamilies.builtIn.flatMap(\.transformersModelTypes))) {
            try Backbone.fromPreset(directory.path)
        }
        try Data(#"{"class_name": "T5Backbone", "config": {}}"#.utf8).write(to: config)
        #expect(throws: PresetError.unknownClass(file: config.path, name: "T5Backbone", known: ModelFamilies.builtIn.map(\.backboneClassName))) {
            try Backbone.fromPreset(directory.path)
        }
        try Data(#"["not", "an", "object"]"#.utf8).write(to: config)
        #expect(throws: PresetError.invalidFile(file: config.path, reason: "expected a JSON object")) { try Backbone.fromPreset(directory.path) }
        try Data("{\"class_name\": ".utf8).write(to: config)
        #expect(message { _ = try Backbone.fromPreset(directory.path) }.contains("config.json: not valid JSON"))
        try Data(#"{"class_name": "BertBackbone", "config": {"vocabulary_size": 10}}"#.utf8).write(to: config)
        #expect(message { _ = try Backbone.fromPreset(directory.path) }.contains("missing key 'num_layers'"))
        #expect(throws: PresetError.invalidFile(file: directory.appendingPathComponent("model.safetensors").path, reason: "a preset must be a directory, not a file")) {
            try Backbone.fromPreset(directory.appendingPathComponent("model.safetensors").path)
        }
    }

    @Test func missingExtraMisshapenAndWronglyTypedTensors() throws {
        let directory = try copy("bert_a")
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appendingPathComponent("model.safetensors")
        let original = try SafetensorsFile(contentsOf: Repository.modelFixture("bert_a").appendingPathComponent("model.safetensors"))
        var tensors = Dictionary(uniqueKeysWithValues: try original.tensorNames.map { ($0, try original.tensor(named: $0)) })

        tensors["pooler.dense.bias"] = nil
        tensors["encoder.layer.1.output.dense.bias"] = nil
        try SafetensorsWriter.write(tensors, to: weights)
        #expect(throws: WeightError.missingTensor(name: "encoder.layer.1.output.dense.bias", origin: weights.path)) { try Backbone.fromPreset(directory.path) }

        tensors = Dictionary(uniqueKeysWithValues: try original.tensorNames.map { ($0, try original.tensor(named: $0)) })
        tensors["encoder.layer.0.surprise.weight"] = Tensor(shape: [2])
        try SafetensorsWriter.write(tensors, to: weights)
        #expect(throws: WeightError.unexpectedTensors(names: ["encoder.layer.0.surprise.weight"], origin: weights.path)) { try Backbone.fromPreset(directory.path) }

        tensors["encoder.layer.0.surprise.weight"] = nil
        tensors["embeddings.word_embeddings.weight"] = Tensor(shape: [150, 31])
        try SafetensorsWriter.write(tensors, to: weights)
        #expect(throws: WeightError.shapeMismatch(name: "embeddings.word_embeddings.weight -> token_embedding.embeddings", expected: [150, 30], found: [150, 31], origin: weights.path)) {
            try Backbone.fromPreset(directory.path)
        }
        // An integer tensor where a weight belongs: rewrite one tensor's dtype in the header to I32 (same byte size).
        tensors["embeddings.word_embeddings.weight"] = try original.tensor(named: "embeddings.word_embeddings.weight")
        try SafetensorsWriter.write(tensors, to: weights)
        var bytes = try Data(contentsOf: weights)
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        let key = "\"embeddings.LayerNorm.bias\":{\"dtype\":\"F32\""
        #expect(header.contains(key))
        header = header.replacingOccurrences(of: key, with: "\"embeddings.LayerNorm.bias\":{\"dtype\":\"I32\"")
        bytes.replaceSubrange(8..<(8 + headerLength), with: Data(header.utf8))
        try bytes.write(to: weights)
        #expect(throws: WeightError.wrongDType(name: "embeddings.LayerNorm.bias -> embeddings_layer_norm.beta", found: "I32", origin: weights.path)) {
            try Backbone.fromPreset(directory.path)
        }
    }

    @Test func damagedWeightFilesNameTheFile() throws {
        let directory = try copy("distilbert_a")
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        for damaged in [Data(), bytes.prefix(5), bytes.prefix(bytes.count / 2)] {
            try damaged.write(to: weights)
            let text = message { _ = try Backbone.fromPreset(directory.path) }
            #expect(text.contains("model.safetensors"), "\(text)")
        }
        try FileManager.default.removeItem(at: weights)
        #expect(message { _ = try Backbone.fromPreset(directory.path) }.contains(directory.lastPathComponent))
    }
}
