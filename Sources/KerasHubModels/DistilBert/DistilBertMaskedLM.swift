import KerasHubLayers

/// Masked-token prediction with DistilBERT, as KerasHub's `DistilBertMaskedLM`: BERT's head
/// (``MaskedLMHead``) on a ``DistilBertBackbone``. Transformers' `DistilBertForMaskedLM`
/// (`vocab_transform`, `vocab_layer_norm`, `vocab_projector.bias`) loads through
/// ``BertMaskedLM/transformersHeadMapping(_:origin:)``.
public final class DistilBertMaskedLM: MaskedLM, @unchecked Sendable {
    /// Builds the masked LM; the head's activation and epsilon are the backbone's.
    /// - Throws: ``WeightError`` for head weights.
    public init(backbone: DistilBertBackbone, headWeights: WeightSource = .random(), preprocessor: MaskedLMPreprocessor? = nil) throws {
        try super.init(
            backbone: backbone, activation: backbone.config.activation, layerNormEpsilon: backbone.config.layerNormEpsilon,
            headWeights: headWeights, preprocessor: preprocessor)
    }
}
