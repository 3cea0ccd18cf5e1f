import KerasHubLayers
import KerasHubTensor

/// RoBERTa (Liu et al., 2019): token + position embeddings, a layer norm, and a stack of post-norm
/// transformer encoders; no segment embeddings and no pooler, as KerasHub's `RobertaBackbone`
/// (``EncoderStackBackbone`` with RoBERTa's defaults: exact GELU, layer-norm epsilon 1e-5).
///
/// Weight names (our preset layout): `token_embedding.embeddings`, `position_embedding.embeddings`,
/// `embeddings_layer_norm.{gamma,beta}`, `transformer_layer_{i}.…` (see ``TransformerEncoder``).
/// Positions are `0..<length` of a table of `maxSequenceLength` rows: transformers' table without its
/// two reserved rows (its position ids start at `padding_idx + 1` = 2), with the single token-type
/// embedding folded in (``RobertaCheckpoint/transformersMapping(_:origin:)``).
/// XLM-RoBERTa has the same architecture.
public class RobertaBackbone: EncoderStackBackbone<RobertaConfigDefaults>, @unchecked Sendable {
    /// Builds a RoBERTa backbone from KerasHub's constructor arguments.
    public convenience init(
        vocabularySize: Int, numLayers: Int, numHeads: Int, hiddenDim: Int, intermediateDim: Int,
        maxSequenceLength: Int = RobertaConfigDefaults.maxSequenceLength, weights: WeightSource = .random()
    ) throws {
        try self.init(
            config: RobertaBackboneConfig(
                vocabularySize: vocabularySize, numLayers: numLayers, numHeads: numHeads, hiddenDim: hiddenDim,
                intermediateDim: intermediateDim, maxSequenceLength: maxSequenceLength),
            weights: weights)
    }
}
