import Foundation
import KerasHubModels
import KerasHubTensor
import Testing
@testable import KerasHubPresets

/// The other direction: presets our `saveToPreset` writes from transformers checkpoints load in real
/// KerasHub 0.32 (`keras_hub.models.*.from_preset`) and give transformers' numbers there (BERT:
/// KerasHub's own conversion's numbers, as KerasHub's `BertBackbone` computes the tanh GELU).
/// Runs when the KerasHub reference venv is present; CI need not have it.
@Suite(.enabled(if: ReferenceEnvironment.kerasHubPython != nil, "\(ReferenceEnvironment.kerasHubMissing)"))
struct KerasHubLoadsOurPresetsTests {
    @Test(arguments: [("distilbert_a", "backbone"), ("gpt2_a", "backbone"), ("bert_a", "backbone"), ("roberta_a", "backbone"),
                      ("xlm_roberta_a", "backbone"), ("distilbert_cls", "classifier"), ("bert_cls", "classifier"),
                      ("roberta_cls", "classifier"), ("gpt2_lm", "causal_lm")])
    func kerasHubLoadsWhatWeSaved(fixture: String, task: String) throws {
        let directory = try makeTemporaryDirectory("kh-to-kerashub")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = Repository.modelFixture(fixture).path
        switch task {
        case "backbone": try Backbone.fromPreset(source).saveToPreset(directory)
        case "classifier": try TextClassifier.fromPreset(source).saveToPreset(directory)
        default: try CausalLM.fromPreset(source).saveToPreset(directory)
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.weights.h5").path))
        let check = try ReferenceEnvironment.checkKerasHubLoads(
            preset: directory, task: task, fixture: fixture, againstKerasHubConversion: fixture.hasPrefix("bert"))
        #expect(check.status == 0, "\(fixture) (\(task)) in KerasHub: \(check.result)")
    }

    /// Weights saved in float16 and bfloat16, stored as Keras stores them (IEEE halves; 2-byte opaque
    /// values tagged `bfloat16`) under KerasHub's dtype policy, load in KerasHub, which computes in
    /// that dtype: transformers' numbers within the dtype's rounding.
    @Test(arguments: [(DType.float16, 1e-2), (DType.bfloat16, 8e-2)])
    func kerasHubLoadsReducedPrecisionWeights(dtype: DType, tolerance: Double) throws {
        let directory = try makeTemporaryDirectory("kh-to-kerashub-\(dtype.rawValue)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Backbone.fromPreset(Repository.modelFixture("distilbert_a").path).saveToPreset(directory, dtype: dtype)
        let check = try ReferenceEnvironment.checkKerasHubLoads(
            preset: directory, task: "backbone", fixture: "distilbert_a", tolerance: tolerance)
        #expect(check.status == 0, "\(dtype) in KerasHub: \(check.result)")
    }

    /// A classifier with its tokenizer and preprocessor, read from KerasHub's files and saved by us,
    /// predicts on text in KerasHub as KerasHub's original did; the preprocessor saved alone
    /// writes the same `preprocessor.json` and tokenizer files.
    @Test(arguments: ["bert_classifier", "roberta_classifier", "xlm_roberta_classifier"])
    func kerasHubPredictsWithWhatWeSaved(name: String) throws {
        let directory = try makeTemporaryDirectory("kh-text-to-kerashub")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = KerasHubWrittenPresetTests.directory(name)
        let classifier = try TextClassifier.fromPreset(source.path)
        try classifier.saveToPreset(directory)
        let check = try ReferenceEnvironment.checkKerasHubPredicts(preset: directory, outputs: source.appendingPathComponent("outputs.json"))
        #expect(check.status == 0, "\(name) predict in KerasHub: \(check.result)")

        let alone = try makeTemporaryDirectory("kh-preprocessor-alone")
        defer { try? FileManager.default.removeItem(at: alone) }
        try #require(classifier.preprocessor).saveToPreset(alone)
        for file in ["preprocessor.json", "tokenizer.json"] {
            #expect(try Data(contentsOf: alone.appendingPathComponent(file)) == Data(contentsOf: directory.appendingPathComponent(file)), "\(file)")
        }
    }
}
