import KerasHubTensor

/// A pre-norm, causal transformer decoder block without cross-attention, as in GPT-2:
/// `h = x + attention(norm1(x))`, `out = h + feedForward(norm2(h))`.
///
/// Weight names under the block's scope are those of ``TransformerEncoder``.
public struct TransformerDecoder: Sendable {
    /// The norm before self-attention.
    public let selfAttentionLayerNorm: LayerNorm
    /// Causal self-attention.
    public let selfAttention: MultiHeadAttention
    /// The norm before the feed-forward block.
    public let feedForwardLayerNorm: LayerNorm
    /// The feed-forward block.
    public let feedForward: FeedForward

    /// Loads the block from `weights`.
    public init(
        hiddenDim: Int, intermediateDim: Int, numHeads: Int, activation: Activation,
        layerNormEpsilon: Float, weights: WeightSource
    ) throws {
        selfAttentionLayerNorm = try LayerNorm(
            dim: hiddenDim, epsilon: layerNormEpsilon, weights: weights.scope(WeightName.selfAttentionLayerNorm))
        selfAttention = try MultiHeadAttention(hiddenDim: hiddenDim, numHeads: numHeads, weights: weights.scope(WeightName.selfAttention))
        feedForwardLayerNorm = try LayerNorm(
            dim: hiddenDim, epsilon: layerNormEpsilon, weights: weights.scope(WeightName.feedForwardLayerNorm))
        feedForward = try FeedForward(
            hiddenDim: hiddenDim, intermediateDim: intermediateDim, activation: activation, weights: weights)
    }

    /// The block applied to `input` `[batch, length, hiddenDim]`.
    /// - Parameters:
    ///   - paddingMask: `[batch * keyLength]`, `true` on real tokens, where `keyLength` counts the
    ///     cached positions too.
    ///   - cache: this block's key/value cache, extended by `length` positions.
    public func callAsFunction(
        _ input: Tensor, paddingMask: [Bool]? = nil, cache: inout AttentionCache?
    ) throws -> Tensor {
        var hidden = try selfAttention(
            selfAttentionLayerNorm(input), paddingMask: paddingMask, causal: true, cache: &cache)
        try hidden.add(input)
        var output = try feedForward(feedForwardLayerNorm(hidden))
        try output.add(hidden)
        return output
    }

    /// The block applied without a cache.
    public func callAsFunction(_ input: Tensor, paddingMask: [Bool]? = nil) throws -> Tensor {
        var noCache: AttentionCache? = nil
        return try self(input, paddingMask: paddingMask, cache: &noCache)
    }

}
