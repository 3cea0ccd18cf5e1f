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
            inputDim: hiddenDim, outputDim: hiddenDim, activation: activation, weights: weights.scope("intermediate_dense"))
        intermediateLayerNorm = try LayerNorm(
            dim: hiddenDim, epsilon: layerNormEpsilon, weights: weights.scope("intermediate_layer_norm"))
        outputBias = try weights.tensor("output_bias", shape: [vocabularySize], initializer: .zeros)
    }

    /// Vocabulary logits `[..., vocabularySize]` for hidden states `[..., hiddenDim]`.
    public func callAsFunction(_ hidden: Tensor, tokenEmbedding: Embedding) throws -> Tensor {
        var logits = try tokenEmbedding.reverse(intermediateLayerNorm(intermediateDense(hidden)))
        try logits.addBias(outputBias)
        return logits
    }
}

extension MaskedLMHead: NamedWeights {
    /// The head's tensors.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        intermediateDense.collectWeights(prefix: join(prefix, "intermediate_dense"), into: &weights)
        intermediateLayerNorm.collectWeights(prefix: join(prefix, "intermediate_layer_norm"), into: &weights)
        weights[join(prefix, "output_bias")] = outputBias
    }
}
