import Foundation
import KerasHubLayers
@testable import KerasHubModels
import KerasHubTensor
import Testing

/// A tiny transformers-named DistilBERT checkpoint held in memory.
func tinyDistilBertCheckpoint(prefix: String = "distilbert.", hidden: Int = 4, inner: Int = 6, vocab: Int = 10) -> [String: Tensor] {
    var tensors: [String: Tensor] = [
        prefix + "embeddings.word_embeddings.weight": Tensor(shape: [vocab, hidden], repeating: 0.1),
        prefix + "embeddings.position_embeddings.weight": Tensor(shape: [8, hidden], repeating: 0.2),
        prefix + "embeddings.LayerNorm.weight": Tensor(shape: [hidden], repeating: 1),
        prefix + "embeddings.LayerNorm.bias": Tensor(shape: [hidden]),
    ]
    let layer = prefix + "transformer.layer.0."
    for name in ["q_lin", "k_lin", "v_lin", "out_lin"] {
        tensors[layer + "attention.\(name).weight"] = Tensor(shape: [hidden, hidden], repeating: 0.01)
        tensors[layer + "attention.\(name).bias"] = Tensor(shape: [hidden])
    }
    tensors[layer + "ffn.lin1.weight"] = Tensor(shape: [inner, hidden], repeating: 0.01)
    tensors[layer + "ffn.lin1.bias"] = Tensor(shape: [inner])
    tensors[layer + "ffn.lin2.weight"] = Tensor(shape: [hidden, inner], repeating: 0.01)
    tensors[layer + "ffn.lin2.bias"] = Tensor(shape: [hidden])
    for norm in ["sa_layer_norm", "output_layer_norm"] {
        tensors[layer + norm + ".weight"] = Tensor(shape: [hidden], repeating: 1)
        tensors[layer + norm + ".bias"] = Tensor(shape: [hidden])
    }
    return tensors
}

let tinyDistilBertConfig = DistilBertBackboneConfig(
    vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)

func loadTinyDistilBert(_ tensors: [String: Tensor], config: DistilBertBackboneConfig = tinyDistilBertConfig) throws -> DistilBertBackbone {
    let mapped = try DistilBertCheckpoint.transformersMapping(InMemoryTensorStore(tensors), origin: "tiny.safetensors")
    return try DistilBertBackbone(config: config, weights: WeightSource(store: mapped, origin: "tiny.safetensors"))
}

@Suite struct CheckpointMappingTests {
    @Test func loadsWithAndWithoutPrefixAndIgnoresTaskHeads() throws {
        _ = try loadTinyDistilBert(tinyDistilBertCheckpoint(prefix: ""))
        var withHead = tinyDistilBertCheckpoint()
        withHead["vocab_projector.bias"] = Tensor(shape: [10])
        withHead["distilbert.embeddings.position_ids"] = Tensor(shape: [1, 8])
        let backbone = try loadTinyDistilBert(withHead)
        #expect(backbone.transformerLayers.count == 1)
        // Linear weights [out, in] arrive transposed as kernels [in, out].
        #expect(backbone.transformerLayers[0].feedForward.intermediate.kernel.shape == [4, 6])
    }

    @Test func missingTensorIsNamed() throws {
        var tensors = tinyDistilBertCheckpoint()
        tensors["distilbert.transformer.layer.0.ffn.lin2.bias"] = nil
        #expect(throws: WeightError.missingTensor(name: "distilbert.transformer.layer.0.ffn.lin2.bias", origin: "tiny.safetensors")) {
            try loadTinyDistilBert(tensors)
        }
    }

    @Test func unexpectedTensorIsNamed() throws {
        var tensors = tinyDistilBertCheckpoint()
        tensors["distilbert.encoder.surprise"] = Tensor(shape: [3])
        #expect(throws: WeightError.unexpectedTensors(names: ["distilbert.encoder.surprise"], origin: "tiny.safetensors")) {
            try loadTinyDistilBert(tensors)
        }
    }

    @Test func extraLayerIsUnexpected() throws {
        var config = tinyDistilBertConfig
        config.numLayers = 0
        #expect(throws: WeightError.self) { try loadTinyDistilBert(tinyDistilBertCheckpoint(), config: config) }
        do {
            _ = try loadTinyDistilBert(tinyDistilBertCheckpoint(), config: config)
        } catch let error as WeightError {
            guard case .unexpectedTensors(let names, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(names.contains("transformer_layer_0.feedforward_layer_norm.beta"))
        }
    }

    @Test func shapeMismatchNamesBothShapes() throws {
        var tensors = tinyDistilBertCheckpoint()
        tensors["distilbert.transformer.layer.0.ffn.lin1.weight"] = Tensor(shape: [5, 4])
        #expect(throws: WeightError.shapeMismatch(
            name: "distilbert.transformer.layer.0.ffn.lin1.weight -> transformer_layer_0.feedforward_intermediate_dense.kernel",
            expected: [4, 6], found: [4, 5],
            origin: "tiny.safetensors")) {
            try loadTinyDistilBert(tensors)
        }
    }

    @Test func gpt2FusedAttentionIsSplitIntoQueryKeyValue() throws {
        let hidden = 2
        let fused = try Tensor(shape: [hidden, 3 * hidden], scalars: [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15])
        let store = try InMemoryTensorStore(["h.0.attn.c_attn.weight": fused, "h.0.attn.c_attn.bias": Tensor(shape: [6], scalars: [0, 1, 2, 3, 4, 5])])
        let entries = ["q": MappedTensorStore.Entry(source: "h.0.attn.c_attn.weight", transform: .splitLastAxis(index: 0, parts: 3)),
                       "v": MappedTensorStore.Entry(source: "h.0.attn.c_attn.weight", transform: .splitLastAxis(index: 2, parts: 3)),
                       "vb": MappedTensorStore.Entry(source: "h.0.attn.c_attn.bias", transform: .splitLastAxis(index: 2, parts: 3))]
        let mapped = try MappedTensorStore(base: store, entries: entries, origin: "t")
        #expect(try mapped.tensor(named: "q").scalars == [0, 1, 10, 11])
        #expect(try mapped.tensor(named: "v").scalars == [4, 5, 14, 15])
        #expect(mapped.shape(of: "v") == [2, 2])
        #expect(try mapped.tensor(named: "vb").scalars == [4, 5])
    }

    @Test func badInputsAreTypedErrors() throws {
        let backbone = try loadTinyDistilBert(tinyDistilBertCheckpoint())
        #expect(throws: InputError.idOutOfRange(input: "token_ids", id: 10, row: 1, position: 0, bound: 10)) {
            try backbone(TokenBatch(tokenIds: [[1, 2], [10, 3]]))
        }
        #expect(throws: InputError.sequenceTooLong(length: 9, maximum: 8)) {
            try backbone(TokenBatch(tokenIds: [Array(repeating: 1, count: 9)]))
        }
        #expect(throws: InputError.raggedBatch(input: "token_ids", row: 1, expected: 2, found: 1)) {
            try TokenBatch(tokenIds: [[1, 2], [3]])
        }
        #expect(throws: InputError.emptyBatch) { try TokenBatch(tokenIds: []) }
        #expect(throws: InputError.raggedBatch(input: "padding_mask", row: 0, expected: 2, found: 3)) {
            try TokenBatch(tokenIds: [[1, 2]], paddingMask: [[true, true, false]])
        }
        let bert = try BertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)
        #expect(throws: InputError.idOutOfRange(input: "segment_ids", id: 2, row: 0, position: 1, bound: 2)) {
            try bert(TokenBatch(tokenIds: [[1, 2]], segmentIds: [[0, 2]]))
        }
    }

    @Test func transformersConfigErrorsNameTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kh-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("config.json")
        try Data("[1, 2]".utf8).write(to: file)
        #expect(throws: ConfigError.self) { try TransformersConfig(contentsOf: file) }
        try Data(#"{"model_type": "bert", "hidden_size": 8}"#.utf8).write(to: file)
        let config = try TransformersConfig(contentsOf: file)
        #expect(throws: ConfigError.missingKey(file: file.path, key: "vocab_size")) { try config.bertConfig(file: file.path) }
        try Data(#"{"model_type": "gpt2", "vocab_size": 5, "n_embd": 8, "n_layer": 1, "n_head": 2, "activation_function": "swish"}"#.utf8).write(to: file)
        #expect(throws: ConfigError.unsupported(file: file.path, reason: "activation_function 'swish'")) {
            try TransformersConfig(contentsOf: file).gpt2Config(file: file.path)
        }
    }
}
