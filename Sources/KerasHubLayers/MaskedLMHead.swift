import KerasHubTensor

/// The masked-language-model head of BERT and DistilBERT, as KerasHub's `MaskedLMHead`:
/// `dense + activation -> layer norm -> x · tokenEmbeddingᵀ + bias`, the projection tied to the
/// backbone's token embedding.
///
/// Weight names under its scope: `intermediate_dense.{kernel,bias}`,
/// `intermediate_layer_norm.{gamma,beta}`, `output_bias`.
public struct MaskedLMHead: Sendable {
    /// `[hiddenDim, hiddenDim]` with the activation fused.
    public let intermediateDense: Dense
    /// The norm after it.
    public let intermediateLayerNorm: LayerNorm
    /// One bias per vocabulary entry.
    public let outputBias: Tensor

    /// Loads the head from `weights`.
    public init(hiddenDim: Int, vocabularySize: Int, activation: Activation, layerNormEpsilon: Float, weights: WeightSource) throws {
        intermediateDense = try Dense(
            inputDim: hiddenDim, outputDim: hiddenDim, activation: activation, weights: weights.scope(WeightName.intermediateDense))
        intermediateLayerNorm = try LayerNorm(
            dim: hiddenDim, epsilon: layerNormEpsilon, weights: weights.scope(WeightName.intermediateLayerNorm))
        outputBias = try weights.tensor(WeightName.outputBias, shape: [vocabularySize], initializer: .zeros)
    }

    /// Vocabulary logits `[..., vocabularySize]` for hidden states `[..., hiddenDim]`.
    public func callAsFunction(_ hidden: Tensor, tokenEmbedding: Embedding) throws -> Tensor {
        var logits = try tokenEmbedding.reverse(intermediateLayerNorm(intermediateDense(hidden)))
        try logits.addBias(outputBias)
        return logits
    }
}
