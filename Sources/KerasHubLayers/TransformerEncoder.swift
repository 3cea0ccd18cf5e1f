import KerasHubTensor

/// A post-norm transformer encoder block, as in BERT and DistilBERT:
/// `h = norm1(x + attention(x))`, `out = norm2(h + feedForward(h))`.
///
/// Weight names under the block's scope: `self_attention.{query,key,value,attention_output}`,
/// `self_attention_layer_norm`, `feedforward_intermediate_dense`, `feedforward_output_dense`,
/// `feedforward_layer_norm`.
public struct TransformerEncoder: Sendable {
    /// Self-attention.
    public let selfAttention: MultiHeadAttention
    /// The norm after the attention residual.
    public let selfAttentionLayerNorm: LayerNorm
    /// The feed-forward block.
    public let feedForward: FeedForward
    /// The norm after the feed-forward residual.
    public let feedForwardLayerNorm: LayerNorm

    /// Loads the block from `weights`.
    public init(
        hiddenDim: Int, intermediateDim: Int, numHeads: Int, activation: Activation,
        layerNormEpsilon: Float, weights: WeightSource
    ) throws {
        selfAttention = try MultiHeadAttention(hiddenDim: hiddenDim, numHeads: numHeads, weights: weights.scope(WeightName.selfAttention))
        selfAttentionLayerNorm = try LayerNorm(
            dim: hiddenDim, epsilon: layerNormEpsilon, weights: weights.scope(WeightName.selfAttentionLayerNorm))
        feedForward = try FeedForward(
            hiddenDim: hiddenDim, intermediateDim: intermediateDim, activation: activation, weights: weights)
        feedForwardLayerNorm = try LayerNorm(
            dim: hiddenDim, epsilon: layerNormEpsilon, weights: weights.scope(WeightName.feedForwardLayerNorm))
    }

    /// The block applied to `input` `[batch, length, hiddenDim]`; `paddingMask` is `[batch * length]`,
    /// `true` on real tokens.
    public func callAsFunction(_ input: Tensor, paddingMask: [Bool]? = nil) throws -> Tensor {
        let normed = try selfAttentionLayerNorm.addingResidual(selfAttention(input, paddingMask: paddingMask), input)
        return try feedForwardLayerNorm.addingResidual(feedForward(normed), normed)
    }

}
