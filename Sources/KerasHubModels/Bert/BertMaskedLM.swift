import KerasHubLayers
import KerasHubTensor

/// Masked-token prediction with BERT or DistilBERT, as KerasHub's `BertMaskedLM` /
/// `DistilBertMaskedLM`: a ``MaskedLMHead`` tied to the backbone's token embedding. Head weights:
/// `masked_lm_head.…`; transformers' `BertForMaskedLM` (`cls.predictions.*`) and
/// `DistilBertForMaskedLM` (`vocab_transform`, `vocab_layer_norm`, `vocab_projector.bias`) load
/// through ``transformersHeadMapping(_:origin:)``.
public final class BertMaskedLM: MaskedLM, @unchecked Sendable {
    /// Builds the masked LM on a BERT or DistilBERT backbone (the head's activation and epsilon are
    /// the backbone's).
    /// - Throws: ``TaskError`` for another backbone, ``WeightError`` for head weights.
    public init(backbone: Backbone, headWeights: WeightSource = .random(), preprocessor: MaskedLMPreprocessor? = nil) throws {
        let activation: Activation, epsilon: Float
        switch backbone {
        case let bert as BertBackbone: (activation, epsilon) = (bert.config.activation, bert.config.layerNormEpsilon)
        case let distilBert as DistilBertBackbone: (activation, epsilon) = (distilBert.config.activation, distilBert.config.layerNormEpsilon)
        default: throw TaskError.invalidConfiguration("BertMaskedLM needs a BertBackbone or DistilBertBackbone, not \(type(of: backbone))")
        }
        try super.init(
            backbone: backbone, activation: activation, layerNormEpsilon: epsilon, headWeights: headWeights,
            preprocessor: preprocessor)
    }

    /// Our head names read from a transformers masked-LM checkpoint (BERT or DistilBERT naming).
    public static func transformersHeadMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        let entries: [String: MappedTensorStore.Entry]
        let heads: [String]
        if store.shape(of: "vocab_transform.weight") != nil {
            heads = ["vocab_transform.", "vocab_layer_norm.", "vocab_projector."]
            entries = ["masked_lm_head.intermediate_dense.kernel": .init(source: "vocab_transform.weight", transform: .transpose),
                       "masked_lm_head.intermediate_dense.bias": .init(source: "vocab_transform.bias"),
                       "masked_lm_head.intermediate_layer_norm.gamma": .init(source: "vocab_layer_norm.weight"),
                       "masked_lm_head.intermediate_layer_norm.beta": .init(source: "vocab_layer_norm.bias"),
                       "masked_lm_head.output_bias": .init(source: "vocab_projector.bias")]
        } else {
            heads = ["cls.predictions."]
            entries = ["masked_lm_head.intermediate_dense.kernel": .init(source: "cls.predictions.transform.dense.weight", transform: .transpose),
                       "masked_lm_head.intermediate_dense.bias": .init(source: "cls.predictions.transform.dense.bias"),
                       "masked_lm_head.intermediate_layer_norm.gamma": .init(source: "cls.predictions.transform.LayerNorm.weight"),
                       "masked_lm_head.intermediate_layer_norm.beta": .init(source: "cls.predictions.transform.LayerNorm.bias"),
                       "masked_lm_head.output_bias": .init(source: "cls.predictions.bias")]
        }
        // The tied decoder weight (if a checkpoint stores it) is the token embedding itself.
        let tied: Set<String> = ["cls.predictions.decoder.weight", "cls.predictions.decoder.bias", "vocab_projector.weight"]
        return try MappedTensorStore(base: store, entries: entries, origin: origin) { name in
            !heads.contains { name.hasPrefix($0) } || tied.contains(name)
        }
    }
}

