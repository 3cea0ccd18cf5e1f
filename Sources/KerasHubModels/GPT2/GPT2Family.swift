import KerasHubLayers
import KerasHubTensor
import KerasHubTokenizers

/// GPT-2's descriptor: `GPT2Backbone` / transformers `gpt2`, ``GPT2Tokenizer``, and ``GPT2CausalLM``.
public struct GPT2Family: ModelFamily {
    /// Creates the descriptor.
    public init() {}

    /// `gpt2`.
    public var name: String { "gpt2" }
    /// `GPT2Backbone`.
    public var backboneClassName: String { "GPT2Backbone" }
    /// KerasHub's module.
    public var backboneModule: String { "keras_hub.src.models.gpt2.gpt2_backbone" }
    /// ``GPT2Backbone``.
    public var backboneType: Backbone.Type { GPT2Backbone.self }
    /// `gpt2`.
    public var transformersModelTypes: [String] { ["gpt2"] }
    /// The byte-level BPE files and tokenizer options.
    public var transformersFiles: [String] { ["vocab.json", "merges.txt", "tokenizer_config.json"] }
    /// ``GPT2Tokenizer``.
    public var tokenizer: any TokenizerDescriptor { GPT2TokenizerDescriptor() }

    /// `n_embd` and `n_layer` without `model_type` mean GPT-2.
    public func claimsTransformersConfig(keys: Set<String>) -> Bool { keys.contains("n_embd") && keys.contains("n_layer") }

    /// Builds a ``GPT2Backbone`` from KerasHub's config.
    public func makeBackbone(kerasHubConfig config: [String: JSONValue], file: String, weights: WeightSource) throws -> Backbone {
        let decoded = try decode(GPT2BackboneConfig.self, from: config, file: file)
        try decoded.validate(file: file)
        return try GPT2Backbone(config: decoded, weights: weights)
    }

    /// Builds a ``GPT2Backbone`` from a transformers checkpoint.
    public func makeBackbone(
        transformersConfig config: [String: JSONValue], file: String, checkpoint: (any TensorStore)?, origin: String
    ) throws -> Backbone {
        let decoded = try decodeTransformers(GPT2TransformersConfig.self, from: config, file: file).backboneConfig(file: file)
        try decoded.validate(file: file)
        return try GPT2Backbone(
            config: decoded, weights: transformersWeights(checkpoint, origin: origin, mapping: GPT2Checkpoint.transformersMapping))
    }

    /// `max_sequence_length` of a KerasHub config (KerasHub's default when absent).
    public func maxSequenceLength(kerasHubConfig config: [String: JSONValue], file: String) throws -> Int {
        try decode(GPT2BackboneConfig.self, from: config, file: file).maxSequenceLength
    }

    /// The position table of a transformers config.
    public func maxSequenceLength(transformersConfig config: [String: JSONValue], file: String) throws -> Int {
        try decodeTransformers(GPT2TransformersConfig.self, from: config, file: file).backboneConfig(file: file).maxSequenceLength
    }

    /// KerasHub's `GPT2Backbone` layers: `reversible_embedding` (tokens), `position_embedding`,
    /// `transformer_decoder[_i]`, `layer_normalization` (the final norm).
    public func kerasHubWeightPaths(kerasHubConfig config: [String: JSONValue], file: String) throws -> [KerasWeightPath] {
        let config = try decode(GPT2BackboneConfig.self, from: config, file: file)
        let hidden = config.hiddenDim
        var paths = KerasWeightPaths()
        paths.embedding(BackboneWeightName.tokenEmbedding, "layers/reversible_embedding", rows: config.vocabularySize, dim: hidden)
        paths.embedding(BackboneWeightName.positionEmbedding, "layers/position_embedding", rows: config.maxSequenceLength, dim: hidden)
        for index in 0..<config.numLayers {
            paths.transformerBlock(
                BackboneWeightName.transformerLayer(index), "layers/" + KerasWeightPaths.numbered("transformer_decoder", index),
                hidden: hidden, heads: config.numHeads, intermediate: config.intermediateDim)
        }
        paths.layerNorm(BackboneWeightName.layerNorm, "layers/layer_normalization", dim: hidden)
        return paths.paths
    }

    /// Query and value of each block; 2 layers with weights (token and position embeddings) come first.
    public func kerasHubLoRATargets(kerasHubConfig config: [String: JSONValue], file: String) throws -> [Int: String] {
        KerasWeightPaths.loraTargets(leadingLayers: 2, numLayers: try decode(GPT2BackboneConfig.self, from: config, file: file).numLayers)
    }

    /// The backbone's config as KerasHub writes it: `GPT2Backbone`'s constructor arguments (see
    /// ``ModelFamily/kerasHubConfig(encoding:activation:layerNormEpsilon:fixed:)`` for the activation).
    public func kerasHubConfig(of backbone: Backbone) throws -> [String: JSONValue] {
        let config = try typed(backbone, as: GPT2Backbone.self).config
        return try kerasHubConfig(
            encoding: config, activation: config.activation, layerNormEpsilon: config.layerNormEpsilon, fixed: (GPT2ConfigDefaults.activation, GPT2ConfigDefaults.layerNormEpsilon))
    }

    /// `<|endoftext|>` starts prompts and ends generations.
    public func causalPreprocessor(tokenizer: any TokenizerProtocol, addStartToken: Bool) throws -> CausalLMPreprocessor? {
        let base = (tokenizer as? Tokenizer)?.base ?? tokenizer
        guard let gpt2 = base as? GPT2Tokenizer else {
            throw PresetError.wrongClass(preset: "tokenizer", expected: "GPT2Tokenizer", found: "\(type(of: base))")
        }
        return CausalLMPreprocessor(tokenizer: gpt2, addStartToken: addStartToken)
    }

    /// ``GPT2CausalLM``.
    public var tasks: [TaskDescriptor] {
        [
            TaskDescriptor(
                className: "GPT2CausalLM", module: "keras_hub.src.models.gpt2.gpt2_causal_lm", kind: .causalLM,
                taskType: GPT2CausalLM.self, transformersArchitectures: ["GPT2LMHeadModel", "GPT2Model"]
            ) { context in
                GPT2CausalLM(backbone: try context.backbone(as: GPT2Backbone.self), preprocessor: context.causalPreprocessor)
            },
        ]
    }
}
