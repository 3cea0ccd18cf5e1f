import KerasHubLayers
import KerasHubTensor

/// GPT-2 (Radford et al., 2019): token + position embeddings, a stack of pre-norm causal decoder
/// blocks, and a final layer norm.
///
/// Weight names (our preset layout): `token_embedding.embeddings`, `position_embedding.embeddings`,
/// `transformer_layer_{i}.…` (see ``TransformerDecoder``), `layer_norm.{gamma,beta}`.
/// Transformers checkpoints are read through ``GPT2Checkpoint/transformersMapping(_:origin:)``.
public final class GPT2Backbone: Backbone, @unchecked Sendable {
    /// The hyperparameters.
    public let config: GPT2BackboneConfig
    /// Position embeddings.
    public let positionEmbedding: PositionEmbedding
    /// The decoder blocks.
    public let transformerLayers: [TransformerDecoder]
    /// The final norm.
    public let layerNorm: LayerNorm

    /// Builds a GPT-2 backbone from a config and a weight source.
    /// - Throws: ``ConfigError`` for a negative size in `config`, ``WeightError`` for a missing,
    ///   misshapen or non-finite tensor, or one the model does not use.
    public init(config: GPT2BackboneConfig, weights: WeightSource) throws {
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
        transformerLayers = try (0..<config.numLayers).map { index in
            try TransformerDecoder(
                hiddenDim: hidden, intermediateDim: config.intermediateDim, numHeads: config.numHeads,
                activation: config.activation, layerNormEpsilon: config.layerNormEpsilon,
                weights: weights.scope(BackboneWeightName.transformerLayer(index)))
        }
        layerNorm = try LayerNorm(dim: hidden, epsilon: config.layerNormEpsilon, weights: weights.scope(BackboneWeightName.layerNorm))
        super.init(
            hiddenDim: hidden, vocabularySize: config.vocabularySize, maxSequenceLength: config.maxSequenceLength,
            tokenEmbedding: tokenEmbedding)
        try weights.checkAllTensorsUsed()
    }

    /// Builds a GPT-2 backbone from KerasHub's constructor arguments.
    public convenience init(
        vocabularySize: Int, numLayers: Int, numHeads: Int, hiddenDim: Int, intermediateDim: Int,
        maxSequenceLength: Int = GPT2ConfigDefaults.maxSequenceLength,
        activation: Activation = GPT2ConfigDefaults.activation, layerNormEpsilon: Float = GPT2ConfigDefaults.layerNormEpsilon,
        weights: WeightSource = .random()
    ) throws {
        try self.init(
            config: GPT2BackboneConfig(
                vocabularySize: vocabularySize, numLayers: numLayers, numHeads: numHeads, hiddenDim: hiddenDim,
                intermediateDim: intermediateDim, maxSequenceLength: maxSequenceLength, activation: activation,
                layerNormEpsilon: layerNormEpsilon),
            weights: weights)
    }

    /// The embeddings, the blocks and the final norm, under their preset names.
    public override func visitWeights(_ visitor: WeightVisitor) {
        visitor.child(BackboneWeightName.tokenEmbedding, tokenEmbedding)
        visitor.child(BackboneWeightName.positionEmbedding, positionEmbedding)
        for (index, layer) in transformerLayers.enumerated() { visitor.child(BackboneWeightName.transformerLayer(index), layer) }
        visitor.child(BackboneWeightName.layerNorm, layerNorm)
    }

    /// An empty decoding cache for `batchSize` sequences of up to `capacity` positions
    /// (at most `maxSequenceLength`).
    public func makeCache(batchSize: Int, capacity: Int) -> DecoderCache {
        DecoderCache(
            numLayers: config.numLayers, batchSize: batchSize,
            capacity: min(capacity, config.maxSequenceLength), hiddenDim: config.hiddenDim)
    }

    /// `sequenceOutput` `[batch, length, hiddenDim]` for whole sequences.
    /// - Throws: ``InputError`` for ids outside the vocabulary or a sequence longer than `maxSequenceLength`.
    public override func callAsFunction(_ inputs: TokenBatch) throws -> BackboneOutput {
        var cache = makeCache(batchSize: inputs.batchSize, capacity: inputs.sequenceLength)
        return try self(inputs, cache: &cache)
    }

    /// Runs `inputs` as the next positions after those in `cache` and extends the cache: the prompt
    /// once, then one token per step, with no recomputation.
    ///
    /// - Parameters:
    ///   - positionIds: the position (row of the position table) of each new token,
    ///     `[batchSize * sequenceLength]` row-major. `nil` means cache slots and positions coincide
    ///     (`cache.length ..< cache.length + sequenceLength`). Give them when sequences of one batch
    ///     are at different lengths: after a right-padded prompt, a sequence's next token is at its own
    ///     length, while the padding slots in the cache stay masked out.
    /// - Throws: ``InputError`` for bad ids or positions, or when the cache is full or of another batch size.
    public func callAsFunction(
        _ inputs: TokenBatch, positionIds: [Int32]? = nil, cache: inout DecoderCache
    ) throws -> BackboneOutput {
        let batch = inputs.batchSize, length = inputs.sequenceLength, start = cache.length
        guard batch == cache.batchSize else {
            throw InputError.shapeMismatch(input: "token_ids (batch vs cache)", expected: [cache.batchSize], found: [batch])
        }
        guard start + length <= cache.capacity else {
            throw InputError.sequenceTooLong(length: start + length, maximum: cache.capacity)
        }
        try inputs.validate(inputs.tokenIds, input: "token_ids", bound: config.vocabularySize)
        var hidden = try tokenEmbedding(inputs.tokenIds).batched(batch, length)
        if let positionIds {
            guard positionIds.count == batch * length else {
                throw InputError.shapeMismatch(input: "position_ids", expected: [batch, length], found: [positionIds.count])
            }
            try inputs.validate(positionIds, input: "position_ids", bound: config.maxSequenceLength)
            try hidden.add(positionEmbedding.embeddings.gatherRows(positionIds).batched(batch, length))
        } else {
            try positionEmbedding.add(to: &hidden, start: start)
        }
        let keyMask = cache.extendMask(with: inputs.paddingMask, newLength: length)
        for (index, layer) in transformerLayers.enumerated() {
            var layerCache: AttentionCache? = cache.layers[index]
            cache.layers[index] = AttentionCache(batchSize: 0, capacity: 0, hiddenDim: 0)  // hand the buffers over
            hidden = try layer(hidden, paddingMask: keyMask, cache: &layerCache)
            if let layerCache { cache.layers[index] = layerCache }
        }
        cache.advance(by: length)
        return BackboneOutput(sequenceOutput: try layerNorm(hidden))
    }
}
