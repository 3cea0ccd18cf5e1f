import Foundation
import KerasHubLayers
@testable import KerasHubModels
import KerasHubTensor
import Testing

/// RoBERTa's heads against transformers (`Tools/make_roberta_fixtures.py`), |diff| <= 1e-4.
@Suite struct RobertaParityTests {
    func headWeights(_ fixture: ModelFixture, _ mapping: (any TensorStore, String) throws -> MappedTensorStore) throws -> WeightSource {
        WeightSource(store: try mapping(fixture.checkpoint(), "model.safetensors"), origin: "model.safetensors")
    }

    @Test func classifierLogitsMatch() throws {
        let fixture = try ModelFixture("roberta_cls")
        let backbone = try #require(try fixture.backbone() as? RobertaBackbone)
        let classifier = try RobertaTextClassifier(
            backbone: backbone, numClasses: 3, headWeights: headWeights(fixture, RobertaTextClassifier.transformersHeadMapping))
        for (index, testCase) in fixture.cases.enumerated() {
            let difference = maxDifference(try classifier(testCase.batch()), try fixture.expectedTensor(index, "logits"))
            #expect(difference <= 1e-4, "\(testCase.name): \(difference)")
        }
    }

    @Test func maskedLMLogitsMatch() throws {
        let fixture = try ModelFixture("roberta_mlm")
        let backbone = try #require(try fixture.backbone() as? RobertaBackbone)
        let model = try RobertaMaskedLM(backbone: backbone, headWeights: headWeights(fixture, RobertaMaskedLM.transformersHeadMapping))
        for (index, testCase) in fixture.cases.enumerated() {
            let difference = maxDifference(
                try model.logits(testCase.batch()), try fixture.expectedTensor(index, "logits"), mask: testCase.attentionMask)
            #expect(difference <= 1e-4, "\(testCase.name): \(difference)")
        }
    }

    /// KerasHub's table: transformers' 20 + 2 rows less the reserved two, token type 0 folded in.
    @Test func positionTableDropsReservedRowsAndFoldsTheTokenType() throws {
        let fixture = try ModelFixture("roberta_a")
        let backbone = try #require(try fixture.backbone() as? RobertaBackbone)
        let store = try fixture.checkpoint()
        let theirs = try store.tensor(named: "embeddings.position_embeddings.weight")
        let tokenType = try store.tensor(named: "embeddings.token_type_embeddings.weight")
        #expect(backbone.maxSequenceLength == theirs.shape[0] - 2)
        #expect(backbone.positionEmbedding.embeddings.shape == [theirs.shape[0] - 2, theirs.shape[1]])
        for row in [0, 7, backbone.maxSequenceLength - 1] {
            for column in stride(from: 0, to: theirs.shape[1], by: 5) {
                #expect(backbone.positionEmbedding.embeddings[row, column] == theirs[row + 2, column] + tokenType[0, column])
            }
        }
        #expect(try fixture.checkpoint().tensorNames.contains("pooler.dense.weight"))
    }

    @Test func sequencesLongerThanThePositionTableAreTyped() throws {
        let backbone = try ModelFixture("roberta_a").backbone()
        let batch = try TokenBatch(tokenIds: [Array(repeating: 5, count: backbone.maxSequenceLength + 1)])
        #expect(throws: InputError.sequenceTooLong(length: backbone.maxSequenceLength + 1, maximum: backbone.maxSequenceLength)) {
            try backbone(batch)
        }
    }

    @Test func transformersConfigVariantsWeCannotComputeAreRefused() throws {
        let family = RobertaFamily()
        var config: [String: JSONValue] = [
            "vocab_size": .number(10), "hidden_size": .number(8), "num_hidden_layers": .number(1), "num_attention_heads": .number(2),
            "intermediate_size": .number(9), "max_position_embeddings": .number(12),
        ]
        let backbone = try family.makeBackbone(transformersConfig: config, file: "config.json", checkpoint: nil, origin: "random")
        #expect(backbone.maxSequenceLength == 10)
        config["pad_token_id"] = .number(0)
        #expect(throws: ConfigError.unsupported(file: "config.json", reason: "pad_token_id 0 (RoBERTa's positions assume 1)")) {
            try family.makeBackbone(transformersConfig: config, file: "config.json", checkpoint: nil, origin: "random")
        }
        config["pad_token_id"] = .number(1)
        config["max_position_embeddings"] = .number(2)
        #expect(throws: ConfigError.self) {
            try family.makeBackbone(transformersConfig: config, file: "config.json", checkpoint: nil, origin: "random")
        }
    }
}
