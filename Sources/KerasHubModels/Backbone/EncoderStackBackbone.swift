import KerasHubLayers
import KerasHubTensor

/// The backbone DistilBERT and RoBERTa share: token + position embeddings, a layer norm, and a stack
/// of post-norm transformer encoders; no segment embeddings and no pooler. ``DistilBertBackbone``
/// and ``RobertaBackbone`` are this architecture with their families' config defaults.
///
/// Weight names (our preset layout): `token_embedding.embeddings`, `position_embedding.embeddings`,
/// `embeddings_layer_norm.{gamma,beta}`, `transformer_layer_{i}.…` (see ``TransformerEncoder``).
open class EncoderStackBackbone<Defaults: TransformerConfigDefaults>: Backbone, @unchecked Sendable {
    /// The hyperparameters.
    public let config: TransformerBackboneConfig<Defaults>
    /// Position embeddings.
    public let positionEmbedding: PositionEmbedding
    /// The norm over the summed embeddings.
    public let embeddingsLayerNorm: LayerNorm
    /// The encoder blocks.
    public let transformerLayers: [TransformerEncoder]

    /// Builds the backbone from a config and a weight source.
    /// - Throws: ``ConfigError`` for a negative size in `config`, ``WeightError`` for a missing,
    ///   misshapen or non-finite tensor, or one the model does not use.
    public init(config: TransformerBackboneConfig<Defaults>, weights: WeightSource) throws {
        try config.validate()
        // Buffers released while building (random weights, transposed or packed kernels) are not
        // activations a forward pass will reuse: free them once the model stands.
        defer { TensorBufferCache.shared.clear() }
        self.config = config
        let hidden = config.hiddenDim
        let tokenEmbedding = try Embedding(
            inputDim: config.vocabularySize, outputDim: hidden, weights: weights.scope(BackboneWeightName.tokenEmbedding))
        positionEmbedding = try PositionEmbedding(
            sequenceLength: config.maxSequenceLength, hiddenDim: hidden, weights: weights.scope(BackboneWeightName.positionEmbedding))
        embeddingsLayerNorm = try LayerNorm(
            dim: hidden, epsilon: config.layerNormEpsilon, weights: weights.scope(BackboneWeightName.embeddingsLayerNorm))
        transformerLayers = try (0..<config.numLayers).map { index in
            try TransformerEncoder(
                hiddenDim: hidden, intermediateDim: config.intermediateDim, numHeads: config.numHeads,
                activation: config.activation, layerNormEpsilon: config.layerNormEpsilon,
                weights: weights.scope(BackboneWeightName.transformerLayer(index)))
        }
        super.init(
            hiddenDim: hidden, vocabularySize: config.vocabularySize, maxSequenceLength: config.maxSequenceLength,
            tokenEmbedding: tokenEmbedding)
        try weights.checkAllTensorsUsed()
    }

    /// The embeddings and the blocks, under their preset names.
    open override func visitWeights(_ visitor: WeightVisitor) {
        visitor.child(BackboneWeightName.tokenEmbedding, tokenEmbedding)
        visitor.child(BackboneWeightName.positionEmbedding, positionEmbedding)
        visitor.child(BackboneWeightName.embeddingsLayerNorm, embeddingsLayerNorm)
        for (index, layer) in transformerLayers.enumerated() { visitor.child(BackboneWeightName.transformerLayer(index), layer) }
    }

    /// `sequenceOutput` `[batch, length, hiddenDim]`; segment ids are ignored.
    /// - Throws: ``InputError`` for ids outside the vocabulary or a sequence longer than `maxSequenceLength`.
    open override func callAsFunction(_ inputs: TokenBatch) throws -> BackboneOutput {
        let batch = inputs.batchSize, length = inputs.sequenceLength
        guard length <= config.maxSequenceLength else {
            throw InputError.sequenceTooLong(length: length, maximum: config.maxSequenceLength)
        }
        try inputs.validate(inputs.tokenIds, input: "token_ids", bound: config.vocabularySize)
        var hidden = try tokenEmbedding(inputs.tokenIds).batched(batch, length)
        try positionEmbedding.add(to: &hidden)
        hidden = try embeddingsLayerNorm(hidden)
        for layer in transformerLayers {
            hidden = try layer(hidden, paddingMask: inputs.paddingMask)
        }
        return BackboneOutput(sequenceOutput: hidden)
    }
}

extension TransformerBackboneConfig {
    /// Where KerasHub's DistilBERT and RoBERTa backbones keep these weights: a
    /// `token_and_position_embedding` layer holding `token_embedding` and `position_embedding`,
    /// `layer_normalization`, and `transformer_encoder[_i]`.
    public var encoderStackKerasWeightPaths: [KerasWeightPath] {
        var paths = KerasWeightPaths()
        let embeddings = "layers/token_and_position_embedding"
        paths.embedding(BackboneWeightName.tokenEmbedding, embeddings + "/token_embedding", rows: vocabularySize, dim: hiddenDim)
        paths.embedding(BackboneWeightName.positionEmbedding, embeddings + "/position_embedding", rows: maxSequenceLength, dim: hiddenDim)
        paths.layerNorm(BackboneWeightName.embeddingsLayerNorm, "layers/layer_normalization", dim: hiddenDim)
        for index in 0..<numLayers {
            paths.transformerBlock(
                BackboneWeightName.transformerLayer(index), "layers/" + KerasWeightPaths.numbered("transformer_encoder", index),
                hidden: hiddenDim, heads: numHeads, intermediate: intermediateDim)
        }
        return paths.paths
    }

    /// The query and value projections KerasHub's `enable_lora` factors in these backbones: four
    /// layers with weights (the token-and-position embedding, its two tables, the norm) come first.
    public var encoderStackLoRATargets: [Int: String] {
        KerasWeightPaths.loraTargets(leadingLayers: 4, numLayers: numLayers)
    }
}
