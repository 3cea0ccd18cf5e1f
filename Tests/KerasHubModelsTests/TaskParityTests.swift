import Foundation
import KerasHubLayers
@testable import KerasHubModels
import KerasHubTensor
import Testing

/// Task heads against transformers' `*ForSequenceClassification` / `*ForMaskedLM` logits.
@Suite struct TaskParityTests {
    func headWeights(_ fixture: ModelFixture, _ mapping: (any TensorStore, String) throws -> MappedTensorStore) throws -> WeightSource {
        WeightSource(store: try mapping(fixture.checkpoint(), "model.safetensors"), origin: "model.safetensors")
    }

    @Test func bertClassifierLogitsMatch() throws {
        let fixture = try ModelFixture("bert_cls")
        let backbone = try #require(try fixture.backbone() as? BertBackbone)
        let classifier = try BertTextClassifier(
            backbone: backbone, numClasses: 3, headWeights: headWeights(fixture, BertTextClassifier.transformersHeadMapping))
        for (index, testCase) in fixture.cases.enumerated() {
            let difference = maxDifference(try classifier(testCase.batch()), try fixture.expectedTensor(index, "logits"))
            #expect(difference <= 1e-4, "\(testCase.name): \(difference)")
        }
    }

    @Test func distilBertClassifierLogitsMatch() throws {
        let fixture = try ModelFixture("distilbert_cls")
        let backbone = try #require(try fixture.backbone() as? DistilBertBackbone)
        let classifier = try DistilBertTextClassifier(
            backbone: backbone, numClasses: 2, headWeights: headWeights(fixture, DistilBertTextClassifier.transformersHeadMapping))
        for (index, testCase) in fixture.cases.enumerated() {
            let difference = maxDifference(try classifier(testCase.batch()), try fixture.expectedTensor(index, "logits"))
            #expect(difference <= 1e-4, "\(testCase.name): \(difference)")
        }
    }

    @Test(arguments: ["bert_mlm", "distilbert_mlm"])
    func maskedLMLogitsMatch(name: String) throws {
        let fixture = try ModelFixture(name)
        let model = try BertMaskedLM(backbone: fixture.backbone(), headWeights: headWeights(fixture, BertMaskedLM.transformersHeadMapping))
        for (index, testCase) in fixture.cases.enumerated() {
            let expected = try fixture.expectedTensor(index, "logits")
            let logits = try model.logits(testCase.batch())
            let difference = maxDifference(logits, expected, mask: testCase.attentionMask)
            #expect(difference <= 1e-4, "\(name) \(testCase.name): \(difference)")
            // Logits at chosen positions equal the full logits there.
            let length = testCase.inputIds[0].count
            let positions = testCase.inputIds.map { _ in [0, length - 1] }
            let selected = try model(testCase.batch(), maskPositions: positions)
            let vocabulary = expected.shape[2]
            for sequence in 0..<testCase.inputIds.count {
                for (slot, position) in positions[sequence].enumerated() {
                    for id in stride(from: 0, to: vocabulary, by: 7) {
                        #expect(abs(selected[sequence, slot, id] - logits[sequence, position, id]) < 1e-5)
                    }
                }
            }
        }
    }

    @Test func headErrorsAreTyped() throws {
        let fixture = try ModelFixture("bert_mlm")
        let backbone = try #require(try fixture.backbone() as? BertBackbone)
        // BertForMaskedLM has no pooler, so no classifier can sit on it.
        #expect(throws: TaskError.self) { try BertTextClassifier(backbone: backbone, numClasses: 2) }
        let model = try BertMaskedLM(backbone: backbone)
        let batch = try TokenBatch(tokenIds: [[5, 6, 7]])
        #expect(throws: InputError.idOutOfRange(input: "mask_positions", id: 3, row: 0, position: 0, bound: 3)) {
            try model(batch, maskPositions: [[3]])
        }
        #expect(throws: TaskError.noPreprocessor("BertMaskedLM")) { try model.fillMask("a [MASK] b") }
        let gpt2 = try ModelFixture("gpt2_a").backbone()
        #expect(throws: TaskError.self) { try BertMaskedLM(backbone: gpt2) }
    }
}
