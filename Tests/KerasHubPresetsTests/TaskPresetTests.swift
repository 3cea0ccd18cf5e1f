import Foundation
import KerasHubLayers
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTensor
import Testing

@Suite struct TaskPresetTests {
    func cases(_ name: String) throws -> [TokenBatch] {
        struct Case: Decodable { var input_ids: [[Int32]]; var attention_mask: [[Int32]]; var token_type_ids: [[Int32]]? }
        let url = Repository.modelFixture(name).appendingPathComponent("cases.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url)).map {
            try TokenBatch(tokenIds: $0.input_ids, paddingMask: $0.attention_mask.map { $0.map { $0 != 0 } }, segmentIds: $0.token_type_ids)
        }
    }

    func expected(_ name: String, _ index: Int) throws -> Tensor {
        try SafetensorsFile(contentsOf: Repository.modelFixture(name).appendingPathComponent("expected.safetensors")).tensor(named: "case\(index).logits")
    }

    @Test func classifiersLoadFromTransformersCheckpointsAndRoundTrip() throws {
        let bert = try BertTextClassifier.fromPreset(Repository.modelFixture("bert_cls").path)
        let distilBert = try DistilBertTextClassifier.fromPreset(Repository.modelFixture("distilbert_cls").path)
        #expect(bert.numClasses == 3 && distilBert.numClasses == 2)
        for (index, batch) in try cases("bert_cls").enumerated() {
            #expect(maxDifference(try bert(batch), try expected("bert_cls", index)) <= 1e-4)
        }
        for (index, batch) in try cases("distilbert_cls").enumerated() {
            #expect(maxDifference(try distilBert(batch), try expected("distilbert_cls", index)) <= 1e-4)
        }
        let directory = try makeTemporaryDirectory("kh-cls")
        defer { try? FileManager.default.removeItem(at: directory) }
        try bert.saveToPreset(directory)
        let task = try KerasHubObject(contentsOf: directory.appendingPathComponent("task.json"))
        #expect(task.className == "BertTextClassifier" && task.config["num_classes"]?.intValue == 3)
        let reloaded = try BertTextClassifier.fromPreset(directory.path)
        for batch in try cases("bert_cls") { #expect(try reloaded(batch) == bert(batch)) }
        #expect(throws: TaskError.self) { try BertTextClassifier.fromPreset(directory.path, numClasses: 5) }
    }

    @Test func classifierOnABackbonePresetNeedsNumClasses() throws {
        #expect(throws: TaskError.invalidConfiguration("preset '\(Repository.modelFixture("bert_a").path)' has no classifier head: pass numClasses")) {
            try BertTextClassifier.fromPreset(Repository.modelFixture("bert_a").path)
        }
        let classifier = try BertTextClassifier.fromPreset(Repository.modelFixture("bert_a").path, numClasses: 4)
        #expect(try classifier(TokenBatch(tokenIds: [[5, 6, 7]])).shape == [1, 4])
        #expect(throws: PresetError.self) { try DistilBertTextClassifier.fromPreset(Repository.modelFixture("bert_a").path, numClasses: 2) }
    }

    @Test(arguments: ["bert_mlm", "distilbert_mlm"])
    func maskedLMLoadsAndRoundTrips(name: String) throws {
        // The family picks the class, as KerasHub's `MaskedLM.from_preset`.
        let model = try MaskedLM.fromPreset(Repository.modelFixture(name).path)
        #expect(type(of: model) == (name == "bert_mlm" ? BertMaskedLM.self : DistilBertMaskedLM.self))
        for (index, batch) in try cases(name).enumerated() {
            let difference = maxDifference(try model.logits(batch), try expected(name, index), rowMask: batch.paddingMask)
            #expect(difference <= 1e-4, "\(name) case \(index): \(difference)")
        }
        let directory = try makeTemporaryDirectory("kh-mlm")
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.saveToPreset(directory)
        let reloaded = try MaskedLM.fromPreset(directory.path)
        #expect(type(of: reloaded) == type(of: model))
        for batch in try cases(name) { #expect(try reloaded.logits(batch) == model.logits(batch)) }
    }

    @Test func fillMaskRanksTheHeadsPredictions() throws {
        let fixture = try BertMaskedLM.fromPreset(Repository.modelFixture("bert_mlm").path)
        // A made-up vocabulary of the fixture's size, so the fixture's random model can be driven with text.
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + (5..<131).map { "w\($0)" }
        let tokenizer = try BertTokenizer(vocabulary: vocabulary, lowercase: true)
        let model = try BertMaskedLM(
            backbone: fixture.backbone, headWeights: WeightSource(store: InMemoryTensorStore(fixture.headWeights), origin: "head"),
            preprocessor: BertTextClassifierPreprocessor(tokenizer: tokenizer, sequenceLength: 16))
        let predictions = try model.fillMask("w7 w8 [MASK] w9", topK: 3)
        #expect(predictions.count == 1 && predictions[0].count == 3)
        let probabilities = predictions[0].map(\.probability)
        #expect(probabilities == probabilities.sorted(by: >) && probabilities.reduce(0, +) <= 1.0001)
        let inputs = try TokenBatch(tokenIds: [[2, 7, 8, 4, 9, 3]])
        let logits = try model(inputs, maskPositions: [[3]])
        let best = (0..<131).max { logits[0, 0, $0] < logits[0, 0, $1] } ?? -1
        #expect(predictions[0][0].token == vocabulary[best])
        #expect(throws: TaskError.self) { try model.fillMask("no mask here") }
    }
}

@Suite struct TaskDispatchTests {
    @Test func taskClassFollowsThePreset() throws {
        #expect(try Task.fromPreset(Repository.modelFixture("bert_cls").path) is BertTextClassifier)
        #expect(try Task.fromPreset(Repository.modelFixture("distilbert_cls").path) is DistilBertTextClassifier)
        #expect(try Task.fromPreset(Repository.modelFixture("distilbert_mlm").path) is DistilBertMaskedLM)
        #expect(try Task.fromPreset(Repository.modelFixture("roberta_cls").path) is RobertaTextClassifier)
        #expect(try Task.fromPreset(Repository.modelFixture("roberta_mlm").path) is RobertaMaskedLM)
        // A task family picks the concrete class from the preset's backbone, as KerasHub's
        // `TextClassifier.from_preset(p, num_classes=2)`.
        #expect(try TextClassifier.fromPreset(Repository.modelFixture("roberta_a").path, numClasses: 2) is RobertaTextClassifier)
        #expect(try TextClassifier.fromPreset(Repository.modelFixture("bert_a").path, numClasses: 2) is BertTextClassifier)
        #expect(try MaskedLM.fromPreset(Repository.modelFixture("roberta_a").path) is RobertaMaskedLM)
        #expect(try CausalLM.fromPreset(Repository.modelFixture("gpt2_a").path) is GPT2CausalLM)
        #expect(throws: PresetError.self) { try CausalLM.fromPreset(Repository.modelFixture("roberta_a").path) }
        #expect(try Task.fromPreset(Repository.modelFixture("gpt2_lm").path) is GPT2CausalLM)
        #expect(try Task.fromPreset("all_minilm_l6_v2_en") is BertTextEmbedder)
        // A concrete class loads that class; a mismatch is an error.
        #expect(try BertMaskedLM.fromPreset(Repository.modelFixture("bert_mlm").path).preprocessor == nil)
        #expect(throws: PresetError.self) { try GPT2CausalLM.fromPreset(Repository.modelFixture("bert_a").path) }
        // A BERT backbone preset alone does not say which task.
        #expect(throws: PresetError.self) { try Task.fromPreset(Repository.modelFixture("bert_a").path) }
        #expect(throws: TaskError.self) { try BertTextClassifier.fromPreset(Repository.modelFixture("bert_a").path) }
    }
}
