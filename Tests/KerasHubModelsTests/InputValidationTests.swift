import Foundation
@testable import KerasHubLayers
@testable import KerasHubModels
import KerasHubTensor
import Testing

/// Every way user data can be wrong on its way into a model gets a typed error, never a trap:
/// batches, ids, masks and lengths (``InputError``), configs (``ConfigError``) and weights
/// (``WeightError``).
@Suite struct InputValidationTests {
    /// One small random backbone of each family: vocabulary 10, 8 positions, width 4.
    static func backbones() throws -> [(String, Backbone)] {
        [("bert", try BertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)),
         ("distilbert", try DistilBertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)),
         ("gpt2", try GPT2Backbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8))]
    }

    @Test func tokenIdsOutsideTheVocabulary() throws {
        for (name, backbone) in try Self.backbones() {
            #expect(throws: InputError.idOutOfRange(input: "token_ids", id: 10, row: 1, position: 0, bound: 10), "\(name)") {
                try backbone(TokenBatch(tokenIds: [[1, 2], [10, 3]]))
            }
            #expect(throws: InputError.idOutOfRange(input: "token_ids", id: -1, row: 0, position: 1, bound: 10), "\(name)") {
                try backbone(TokenBatch(tokenIds: [[1, -1]]))
            }
            #expect(throws: InputError.idOutOfRange(input: "token_ids", id: Int(Int32.max), row: 0, position: 0, bound: 10), "\(name)") {
                try backbone(TokenBatch(tokenIds: [[Int32.max]]))
            }
        }
    }

    @Test func segmentIdsOutsideTheTable() throws {
        let bert = try BertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)
        #expect(throws: InputError.idOutOfRange(input: "segment_ids", id: 2, row: 0, position: 1, bound: 2)) {
            try bert(TokenBatch(tokenIds: [[1, 2]], segmentIds: [[0, 2]]))
        }
        #expect(throws: InputError.idOutOfRange(input: "segment_ids", id: -3, row: 0, position: 0, bound: 2)) {
            try bert(TokenBatch(tokenIds: [[1, 2]], segmentIds: [[-3, 0]]))
        }
    }

    @Test func sequencesLongerThanMaxSequenceLength() throws {
        for (name, backbone) in try Self.backbones() {
            #expect(throws: InputError.sequenceTooLong(length: 9, maximum: 8), "\(name)") {
                try backbone(TokenBatch(tokenIds: [Array(repeating: 1, count: 9)]))
            }
            // Exactly the maximum is fine.
            #expect(try backbone(TokenBatch(tokenIds: [Array(repeating: 1, count: 8)])).sequenceOutput.shape == [1, 8, 4], "\(name)")
        }
    }

    @Test func emptyBatchesAndSequences() throws {
        #expect(throws: InputError.emptyBatch) { try TokenBatch(tokenIds: []) }
        #expect(throws: InputError.emptySequence) { try TokenBatch(tokenIds: [[]]) }
        #expect(throws: InputError.emptySequence) { try TokenBatch(tokenIds: [[], []]) }
        #expect(throws: InputError.emptyBatch) { try TokenBatch(batchSize: 0, sequenceLength: 4, tokenIds: []) }
        #expect(throws: InputError.emptyBatch) { try TokenBatch(batchSize: -1, sequenceLength: 4, tokenIds: []) }
        #expect(throws: InputError.emptySequence) { try TokenBatch(batchSize: 2, sequenceLength: 0, tokenIds: []) }
    }

    @Test func raggedBatches() throws {
        #expect(throws: InputError.raggedBatch(input: "token_ids", row: 1, expected: 2, found: 1)) {
            try TokenBatch(tokenIds: [[1, 2], [3]])
        }
        #expect(throws: InputError.raggedBatch(input: "token_ids", row: 2, expected: 1, found: 3)) {
            try TokenBatch(tokenIds: [[1], [2], [3, 4, 5]])
        }
        #expect(throws: InputError.raggedBatch(input: "segment_ids", row: 1, expected: 2, found: 3)) {
            try TokenBatch(tokenIds: [[1, 2], [3, 4]], segmentIds: [[0, 0], [0, 1, 1]])
        }
    }

    @Test func paddingMasksOfTheWrongShape() throws {
        #expect(throws: InputError.raggedBatch(input: "padding_mask", row: 0, expected: 2, found: 3)) {
            try TokenBatch(tokenIds: [[1, 2]], paddingMask: [[true, true, false]])
        }
        #expect(throws: InputError.raggedBatch(input: "padding_mask", row: 0, expected: 2, found: 1)) {
            try TokenBatch(tokenIds: [[1, 2]], paddingMask: [[true]])
        }
        #expect(throws: InputError.shapeMismatch(input: "padding_mask", expected: [2, 2], found: [1])) {
            try TokenBatch(tokenIds: [[1, 2], [3, 4]], paddingMask: [[true, true]])
        }
        #expect(throws: InputError.shapeMismatch(input: "segment_ids", expected: [1, 2], found: [2])) {
            try TokenBatch(tokenIds: [[1, 2]], segmentIds: [[0, 0], [0, 0]])
        }
        #expect(throws: InputError.shapeMismatch(input: "padding_mask", expected: [2, 3], found: [5])) {
            try TokenBatch(batchSize: 2, sequenceLength: 3, tokenIds: [1, 2, 3, 4, 5, 6], paddingMask: [true, true, true, true, true])
        }
        #expect(throws: InputError.shapeMismatch(input: "token_ids", expected: [2, 3], found: [7])) {
            try TokenBatch(batchSize: 2, sequenceLength: 3, tokenIds: [1, 2, 3, 4, 5, 6, 7])
        }
    }

    /// `batchSize * sequenceLength` overflowing `Int` used to trap in the flat initializer.
    @Test func flatShapeThatOverflowsIsAnError() throws {
        #expect(throws: InputError.shapeMismatch(input: "token_ids", expected: [Int.max, 2], found: [0])) {
            try TokenBatch(batchSize: Int.max, sequenceLength: 2, tokenIds: [])
        }
        #expect(throws: InputError.shapeMismatch(input: "token_ids", expected: [1 << 40, 1 << 40], found: [1])) {
            try TokenBatch(batchSize: 1 << 40, sequenceLength: 1 << 40, tokenIds: [1])
        }
    }

    /// A negative size in a config used to reach an allocation precondition (a trap) when the
    /// weights are drawn at random.
    @Test(arguments: ["vocabulary_size", "num_layers", "num_heads", "hidden_dim", "intermediate_dim", "max_sequence_length", "num_segments"])
    func negativeConfigSizesAreConfigErrors(key: String) throws {
        var config = BertBackboneConfig(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)
        switch key {
        case "vocabulary_size": config.vocabularySize = -1
        case "num_layers": config.numLayers = -1
        case "num_heads": config.numHeads = -1
        case "hidden_dim": config.hiddenDim = -1
        case "intermediate_dim": config.intermediateDim = -1
        case "max_sequence_length": config.maxSequenceLength = -1
        default: config.numSegments = -1
        }
        #expect(throws: ConfigError.invalid(file: "BertBackbone config", reason: "'\(key)' is negative (-1)")) {
            try BertBackbone(config: config, weights: .random())
        }
        #expect(throws: ConfigError.invalid(file: "x/config.json", reason: "'\(key)' is negative (-1)")) {
            try config.validate(file: "x/config.json")
        }
    }

    @Test func negativeSizesInTheOtherFamilies() throws {
        #expect(throws: ConfigError.invalid(file: "DistilBertBackbone config", reason: "'intermediate_dim' is negative (-6)")) {
            try DistilBertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: -6)
        }
        #expect(throws: ConfigError.invalid(file: "GPT2Backbone config", reason: "'max_sequence_length' is negative (-8)")) {
            try GPT2Backbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: -8)
        }
    }

    @Test func headsThatDoNotDivideTheWidth() throws {
        #expect(throws: AttentionError.headsDoNotDivide(hiddenDim: 4, numHeads: 3)) {
            try BertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 3, hiddenDim: 4, intermediateDim: 6)
        }
        #expect(throws: AttentionError.headsDoNotDivide(hiddenDim: 4, numHeads: 0)) {
            try GPT2Backbone(vocabularySize: 10, numLayers: 1, numHeads: 0, hiddenDim: 4, intermediateDim: 6)
        }
    }

    // MARK: Weights

    /// Writes a tiny BERT's weights with `value` planted in one tensor, and loads them back.
    private func loadBert(planting value: Float, in tensorName: String, at index: Int, dtype: DType = .float32) throws {
        let bert = try BertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)
        var weights = bert.namedWeights
        var tensor = try #require(weights[tensorName])
        tensor.withUnsafeMutableBufferPointer { $0[index] = value }
        weights[tensorName] = tensor
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kh-nan-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsWriter.write(weights, dtype: dtype, to: url)
        _ = try BertBackbone(config: bert.config, weights: WeightSource(store: SafetensorsFile(contentsOf: url), origin: url.path))
    }

    /// The error a load throws, as a `WeightError`.
    private func weightError(_ body: () throws -> Void) -> WeightError? {
        do { try body() } catch let error as WeightError { return error } catch { return nil }
        return nil
    }

    @Test func nanInAWeightIsReportedWithTensorAndFile() throws {
        let error = weightError { try loadBert(planting: .nan, in: "transformer_layer_0.self_attention.query.kernel", at: 5) }
        guard case .nonFiniteValue(let name, let origin, let index, let value)? = error else {
            Issue.record("expected nonFiniteValue, got \(String(describing: error))")
            return
        }
        #expect(name == "transformer_layer_0.self_attention.query.kernel")
        #expect(origin.hasSuffix(".safetensors"))
        #expect(index == 5)
        #expect(value.isNaN)
        #expect(error?.description.contains("transformer_layer_0.self_attention.query.kernel") == true)
        #expect(error?.description.contains("nan") == true)
    }

    @Test func infinitiesAreReportedToo() throws {
        #expect(throws: WeightError.nonFiniteValue(name: "token_embedding.embeddings", origin: "", index: 0, value: -.infinity)) {
            do { try loadBert(planting: -.infinity, in: "token_embedding.embeddings", at: 0) } catch WeightError.nonFiniteValue(let name, _, let index, let value) {
                throw WeightError.nonFiniteValue(name: name, origin: "", index: index, value: value)
            }
        }
        // A float32 value beyond float16's range becomes infinity when the checkpoint is saved as float16.
        #expect(throws: WeightError.nonFiniteValue(name: "pooled_dense.bias", origin: "", index: 2, value: .infinity)) {
            do { try loadBert(planting: 1e6, in: "pooled_dense.bias", at: 2, dtype: .float16) } catch WeightError.nonFiniteValue(let name, _, let index, let value) {
                throw WeightError.nonFiniteValue(name: name, origin: "", index: index, value: value)
            }
        }
    }

    @Test func finiteExtremesLoad() throws {
        try loadBert(planting: .greatestFiniteMagnitude, in: "pooled_dense.bias", at: 0)
        try loadBert(planting: -.leastNonzeroMagnitude, in: "pooled_dense.bias", at: 1)
    }

    @Test func nonFiniteScanFindsTheFirstIndex() {
        #expect(WeightSource.firstNonFiniteIndex([]) == nil)
        #expect(WeightSource.firstNonFiniteIndex([1, 2, .greatestFiniteMagnitude]) == nil)
        #expect(WeightSource.firstNonFiniteIndex([1, .nan, .infinity]) == 1)
        #expect(WeightSource.firstNonFiniteIndex(Array(repeating: 0, count: 1000) + [-.infinity]) == 1000)
        #expect(WeightSource.firstNonFiniteIndex([Float(bitPattern: 0x7FC0_0001)]) == 0)
    }
}
