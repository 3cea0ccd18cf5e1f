import KerasHubLayers
import KerasHubTensor

/// DistilBERT (Sanh et al., 2019): token + position embeddings, a layer norm, and a stack of
/// post-norm transformer encoders; no segment embeddings and no pooler (``EncoderStackBackbone``
/// with DistilBERT's defaults: exact GELU, layer-norm epsilon 1e-12).
///
/// Weight names (our preset layout): `token_embedding.embeddings`, `position_embedding.embeddings`,
/// `embeddings_layer_norm.{gamma,beta}`, `transformer_layer_{i}.…` (see ``TransformerEncoder``).
/// Transformers checkpoints are read through ``DistilBertCheckpoint/transformersMapping(_:origin:)``.
public final class DistilBertBackbone: EncoderStackBackbone<DistilBertConfigDefaults>, @unchecked Sendable {
    /// Builds a DistilBERT backbone from KerasHub's constructor arguments.
    public convenience init(
        vocabularySize: Int, numLayers: Int, numHeads: Int, hiddenDim: Int, intermediateDim: Int,
        maxSequenceLength: Int = DistilBertConfigDefaults.maxSequenceLength,
        activation: Activation = DistilBertConfigDefaults.activation,
        layerNormEpsilon: Float = DistilBertConfigDefaults.layerNormEpsilon,
        weights: WeightSource = .random()
    ) throws {
        try self.init(
            config: DistilBertBackboneConfig(
                vocabularySize: vocabularySize, numLayers: numLayers, numHeads: numHeads, hiddenDim: hiddenDim,
                intermediateDim: intermediateDim, maxSequenceLength: maxSequenceLength, activation: activation,
                layerNormEpsilon: layerNormEpsilon),
            weights: weights)
    }
}
