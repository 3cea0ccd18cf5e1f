import KerasHubLayers
import KerasHubTensor

/// BERT (Devlin et al., 2018): token + position + segment embeddings, a layer norm, a stack of
/// post-norm transformer encoders, and a pooler, `tanh(dense(first token))`.
///
/// Weight names (our preset layout): `token_embedding.embeddings`, `position_embedding.embeddings`,
/// `segment_embedding.embeddings`, `embeddings_layer_norm.{gamma,beta}`, `transformer_layer_{i}.…`
/// (see ``TransformerEncoder``), `pooled_dense.{kernel,bias}`. Transformers checkpoints are read
/// through ``BertCheckpoint/transformersMapping(_:origin:)``.
public final class BertBackbone: Backbone, @unchecked Sendable {
    /// The hyperparameters.
    public let config: BertBackboneConfig
    /// Position embeddings.
    public let positionEmbedding: PositionEmbedding
    /// Segment (token type) embeddings.
    public let segmentEmbedding: Embedding
    /// The norm over the summed embeddings.
    public let embeddingsLayerNorm: LayerNorm
    /// The encoder blocks.
    public let transformerLayers: [TransformerEncoder]
    /// The pooler's dense layer (tanh), absent when a checkpoint has no pooler (e.g. `BertForMaskedLM`).
    public let pooledDense: Dense?

    /// Builds a BERT backbone from a config and a weight source.
    /// - Throws: ``ConfigError`` for a negative size in `config`, ``WeightError`` for a missing,
    ///   misshapen or non-finite tensor, or one the model does not use.
    public init(config: BertBackboneConfig, weights: WeightSource) throws {
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
        segmentEmbedding = try Embedding(
            inputDim: config.numSegments, outputDim: hidden, weights: weights.scope(BackboneWeightName.segmentEmbedding))
        embeddingsLayerNorm = try LayerNorm(
            dim: hidden, epsilon: config.layerNormEpsilon, weights: weights.scope(BackboneWeightName.embeddingsLayerNorm))
        transformerLayers = try (0..<config.numLayers).map { index in
            try TransformerEncoder(
                hiddenDim: hidden, intermediateDim: config.intermediateDim, numHeads: config.numHeads,
                activation: config.activation, layerNormEpsilon: config.layerNormEpsilon,
                weights: weights.scope(BackboneWeightName.transformerLayer(index)))
        }
        let hasPooler = !weights.isCheckpoint || weights.contains(BackboneWeightName.pooledDense + "." + WeightName.kernel)
        pooledDense = hasPooler
            ? try Dense(inputDim: hidden, outputDim: hidden, activation: .tanh, weights: weights.scope(BackboneWeightName.pooledDense))
            : nil
        super.init(
            hiddenDim: hidden, vocabularySize: config.vocabularySize, maxSequenceLength: config.maxSequenceLength,
            tokenEmbedding: tokenEmbedding)
        try weights.checkAllTensorsUsed()
    }

    /// Builds a BERT backbone from KerasHub's constructor arguments.
    public convenience init(
        vocabularySize: Int, numLayers: Int, numHeads: Int, hiddenDim: Int, intermediateDim: Int,
        maxSequenceLength: Int = 512, numSegments: Int = 2, activation: Activation = .geluApproximate,
        layerNormEpsilon: Float = 1e-12, weights: WeightSource = .random()
    ) throws {
        try self.init(
            config: BertBackboneConfig(
                vocabularySize: vocabularySize, numLayers: numLayers, numHeads: numHeads, hiddenDim: hiddenDim,
                intermediateDim: intermediateDim, maxSequenceLength: maxSequenceLength, numSegments: numSegments,
                activation: activation, layerNormEpsilon: layerNormEpsilon),
            weights: weights)
    }

    /// The embeddings, the blocks and the pooler, under their preset names.
    public override func visitWeights(_ visitor: WeightVisitor) {
        visitor.child(BackboneWeightName.tokenEmbedding, tokenEmbedding)
        visitor.child(BackboneWeightName.positionEmbedding, positionEmbedding)
        visitor.child(BackboneWeightName.segmentEmbedding, segmentEmbedding)
        visitor.child(BackboneWeightName.embeddingsLayerNorm, embeddingsLayerNorm)
        for (index, layer) in transformerLayers.enumerated() { visitor.child(BackboneWeightName.transformerLayer(index), layer) }
        visitor.child(BackboneWeightName.pooledDense, pooledDense)
    }

    /// `sequenceOutput` `[batch, length, hiddenDim]` and `pooledOutput` `[batch, hiddenDim]`.
    /// - Throws: ``InputError`` for ids outside the vocabulary or segment table, or a sequence longer
    ///   than `maxSequenceLength`.
    public override func callAsFunction(_ inputs: TokenBatch) throws -> BackboneOutput {
        let batch = inputs.batchSize, length = inputs.sequenceLength
        guard length <= config.maxSequenceLength else {
            throw InputError.sequenceTooLong(length: length, maximum: config.maxSequenceLength)
        }
        try inputs.validate(inputs.tokenIds, input: "token_ids", bound: config.vocabularySize)
        let segments = inputs.segmentIds ?? Array(repeating: 0, count: inputs.tokenIds.count)
        try inputs.validate(segments, input: "segment_ids", bound: config.numSegments)

        var hidden = try tokenEmbedding(inputs.tokenIds).batched(batch, length)
        try positionEmbedding.add(to: &hidden)
        try hidden.add(segmentEmbedding(segments).batched(batch, length))
        hidden = try embeddingsLayerNorm(hidden)
        for layer in transformerLayers {
            hidden = try layer(hidden, paddingMask: inputs.paddingMask)
        }
        var pooled: Tensor?
        if let pooledDense {
            let firstTokens = (0..<batch).map { Int32($0 * length) }
            pooled = try pooledDense(hidden.reshaped([batch * length, config.hiddenDim]).gatherRows(firstTokens))
        }
        return BackboneOutput(sequenceOutput: hidden, pooledOutput: pooled)
    }
}
