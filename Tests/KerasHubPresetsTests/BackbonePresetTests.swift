import Foundation
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTensor
import Testing

@Suite struct BackbonePresetTests {
    /// The cases of a models-test fixture as token batches.
    func fixtureCases(_ name: String) throws -> [(TokenBatch, [Bool])] {
        struct Case: Decodable { var input_ids: [[Int32]]; var attention_mask: [[Int32]]; var token_type_ids: [[Int32]]? }
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: Repository.modelFixture(name).appendingPathComponent("cases.json")))
        return try cases.map { testCase in
            let mask = testCase.attention_mask.map { $0.map { $0 != 0 } }
            return (try TokenBatch(tokenIds: testCase.input_ids, paddingMask: mask, segmentIds: testCase.token_type_ids), mask.flatMap { $0 })
        }
    }

    @Test(arguments: ["bert_a", "bert_cls", "distilbert_a", "distilbert_mlm", "gpt2_lm"])
    func transformersDirectoryLoadsAndMatchesItsFixture(name: String) throws {
        let backbone = try Backbone.fromPreset(Repository.modelFixture(name).path)
        let expected = try SafetensorsFile(contentsOf: Repository.modelFixture(name).appendingPathComponent("expected.safetensors"))
        for (index, (batch, mask)) in try fixtureCases(name).enumerated() {
            let output = try backbone(batch)
            let difference = maxDifference(output.sequenceOutput, try expected.tensor(named: "case\(index).last_hidden_state"), rowMask: mask)
            #expect(difference <= 1e-4, "\(name) case \(index): \(difference)")
        }
    }

    @Test func concreteClassComesBackTypedAndWrongClassIsAnError() throws {
        let distilBert: DistilBertBackbone = try DistilBertBackbone.fromPreset(Repository.modelFixture("distilbert_a").path)
        #expect(distilBert.config.numLayers == 2)
        #expect(throws: PresetError.wrongClass(preset: Repository.modelFixture("gpt2_a").path, expected: "BertBackbone", found: "GPT2Backbone")) {
            try BertBackbone.fromPreset(Repository.modelFixture("gpt2_a").path)
        }
    }

    @Test(arguments: ["bert_b", "distilbert_a", "gpt2_a"])
    func saveToPresetRoundTripIsBitIdentical(name: String) throws {
        let original = try Backbone.fromPreset(Repository.modelFixture(name).path)
        let directory = try makeTemporaryDirectory("kh-save")
        defer { try? FileManager.default.removeItem(at: directory) }
        try original.saveToPreset(directory)
        #expect(try PresetDirectory(url: directory).layout() == .kerasHub)
        let config = try KerasHubObject(contentsOf: directory.appendingPathComponent("config.json"))
        #expect(config.registeredName == "keras_hub>\(config.className)")
        let reloaded = try Backbone.fromPreset(directory.path)
        #expect(type(of: reloaded) == type(of: original))
        #expect(reloaded.parameterCount == original.parameterCount)
        for (batch, _) in try fixtureCases(name) {
            #expect(try reloaded(batch).sequenceOutput == original(batch).sequenceOutput)
        }
    }

    @Test func randomWeightsNeedNoWeightsFile() throws {
        let directory = try makeTemporaryDirectory("kh-random")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: Repository.modelFixture("bert_b").appendingPathComponent("config.json"), to: directory.appendingPathComponent("config.json"))
        let backbone = try BertBackbone.fromPreset(directory.path, loadWeights: false)
        #expect(backbone.config.hiddenDim == 64)
        #expect(throws: PresetError.unsupportedDType("float16")) { try Backbone.fromPreset(directory.path, loadWeights: false, dtype: .float16) }
    }

    @Test func kerasHubConfigAsKerasHubWritesItUsesTanhGelu() throws {
        let directory = try makeTemporaryDirectory("kh-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
        {"module": "keras_hub.src.models.bert.bert_backbone", "class_name": "BertBackbone",
         "config": {"name": "bert_backbone", "trainable": true, "vocabulary_size": 30522, "num_layers": 2,
                    "num_heads": 2, "hidden_dim": 128, "intermediate_dim": 512, "dropout": 0.1,
                    "max_sequence_length": 512, "num_segments": 2},
         "registered_name": "keras_hub>BertBackbone"}
        """
        try Data(config.utf8).write(to: directory.appendingPathComponent("config.json"))
        let backbone = try BertBackbone.fromPreset(directory.path, loadWeights: false)
        #expect(backbone.config.activation == .geluApproximate)
        #expect(backbone.config.layerNormEpsilon == 1e-12)
        #expect(backbone.parameterCount == 4_385_920)  // KerasHub's count for bert_tiny_en_uncased
    }

    @Test func unknownPresetListsCloseNames() throws {
        #expect(throws: PresetError.unknownPreset(name: "clowntown", suggestions: [])) { try Backbone.fromPreset("clowntown") }
        do {
            _ = try Backbone.fromPreset("bert_tiny_en_uncase")
            Issue.record("expected an error")
        } catch let error as PresetError {
            guard case .unknownPreset(_, let suggestions) = error else { Issue.record("\(error)"); return }
            #expect(suggestions.first == "bert_tiny_en_uncased")
        }
    }

    @Test func registryMatchesKerasHubCounts() throws {
        let registry = PresetRegistry.builtIn
        #expect(registry.presets.count == 21)
        #expect(registry.preset(named: "roberta_base_en")?.parameters == 124_052_736)
        #expect(registry.preset(named: "roberta_large_en")?.parameters == 354_307_072)
        #expect(registry.preset(named: "distil_bert_base_en_uncased")?.parameters == 66_362_880)
        #expect(registry.preset(named: "gpt2_base_en")?.parameters == 124_439_808)
        for preset in registry.presets {
            #expect(ModelFamilies.family(backboneClassName: preset.className) != nil, "\(preset.name)")
            for file in [preset.tokenizer.vocabulary, preset.tokenizer.merges].compactMap({ $0 }) {
                #expect(PresetRegistry.bundledFile(file).map { FileManager.default.fileExists(atPath: $0.path) } == true, "\(file)")
            }
        }
    }
}
