import Foundation
import KerasHubLayers
@testable import KerasHubModels
import Testing

/// XLM-RoBERTa against transformers' `XLMRoberta*` (`Tools/make_roberta_fixtures.py`), |diff| <= 1e-4.
@Suite struct XLMRobertaParityTests {
    @Test func checkpointsLoadAsTheirOwnFamily() throws {
        let backbone = try ModelFixture("xlm_roberta_a").backbone()
        #expect(backbone is XLMRobertaBackbone)
        #expect(backbone.vocabularySize == 1002 && backbone.maxSequenceLength == 16)
    }

    @Test func classifierLogitsMatch() throws {
        let fixture = try ModelFixture("xlm_roberta_cls")
        let backbone = try #require(try fixture.backbone() as? XLMRobertaBackbone)
        let head = try RobertaTextClassifier.transformersHeadMapping(fixture.checkpoint(), origin: "model.safetensors")
        let classifier = try XLMRobertaTextClassifier(
            backbone: backbone, numClasses: 2, headWeights: WeightSource(store: head, origin: "model.safetensors"))
        for (index, testCase) in fixture.cases.enumerated() {
            let difference = maxDifference(try classifier(testCase.batch()), try fixture.expectedTensor(index, "logits"))
            #expect(difference <= 1e-4, "\(testCase.name): \(difference)")
        }
    }

    @Test func maskedLMLogitsMatch() throws {
        let fixture = try ModelFixture("xlm_roberta_mlm")
        let backbone = try #require(try fixture.backbone() as? XLMRobertaBackbone)
        let head = try RobertaMaskedLM.transformersHeadMapping(fixture.checkpoint(), origin: "model.safetensors")
        let model = try XLMRobertaMaskedLM(backbone: backbone, headWeights: WeightSource(store: head, origin: "model.safetensors"))
        for (index, testCase) in fixture.cases.enumerated() {
            let difference = maxDifference(
                try model.logits(testCase.batch()), try fixture.expectedTensor(index, "logits"), mask: testCase.attentionMask)
            #expect(difference <= 1e-4, "\(testCase.name): \(difference)")
        }
    }
}
