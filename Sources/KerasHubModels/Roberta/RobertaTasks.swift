import KerasHubLayers
import KerasHubTensor

/// Text classification with RoBERTa, as KerasHub's `RobertaTextClassifier`: the `<s>` token's
/// state through `pooled_dense` (tanh) and `logits`. Transformers' `RobertaForSequenceClassification`
/// head (`classifier.dense`, `classifier.out_proj`) loads through ``transformersHeadMapping(_:origin:)``.
public class RobertaTextClassifier: FirstTokenTextClassifier, @unchecked Sendable {
    /// Builds the classifier (tanh on `pooled_dense`); with random `headWeights` the head starts as
    /// KerasHub's initializers draw it.
    /// - Throws: ``TaskError`` for a class count below 1, ``WeightError`` for head weights.
    public required init(
        backbone: RobertaBackbone, numClasses: Int, headWeights: WeightSource = .random(), preprocessor: TextClassifierPreprocessor? = nil
    ) throws {
        try super.init(
            backbone: backbone, numClasses: numClasses, pooledActivation: .tanh, headWeights: headWeights, preprocessor: preprocessor)
    }

    /// Our head names read from a transformers `RobertaForSequenceClassification` checkpoint.
    public static func transformersHeadMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        try MappedTensorStore(
            base: store,
            entries: ["pooled_dense.kernel": .init(source: "classifier.dense.weight", transform: .transpose),
                      "pooled_dense.bias": .init(source: "classifier.dense.bias"),
                      "logits.kernel": .init(source: "classifier.out_proj.weight", transform: .transpose),
                      "logits.bias": .init(source: "classifier.out_proj.bias")],
            origin: origin) { !$0.hasPrefix("classifier.") }
    }
}

/// Masked-token prediction with RoBERTa, as KerasHub's `RobertaMaskedLM`: a ``MaskedLMHead``
/// (exact GELU, the backbone's epsilon) tied to the token embedding. Transformers'
/// `RobertaForMaskedLM` head (`lm_head.dense`, `lm_head.layer_norm`, `lm_head.bias`) loads through
/// ``transformersHeadMapping(_:origin:)``.
public class RobertaMaskedLM: MaskedLM, @unchecked Sendable {
    /// Builds the masked LM.
    /// - Throws: ``WeightError`` for head weights.
    public required init(backbone: RobertaBackbone, headWeights: WeightSource = .random(), preprocessor: MaskedLMPreprocessor? = nil) throws {
        try super.init(
            backbone: backbone, activation: .gelu, layerNormEpsilon: backbone.config.layerNormEpsilon, headWeights: headWeights,
            preprocessor: preprocessor)
    }

    /// Our head names read from a transformers `RobertaForMaskedLM` checkpoint (the decoder weight,
    /// when stored, is the tied token embedding).
    public static func transformersHeadMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        try MappedTensorStore(
            base: store,
            entries: ["masked_lm_head.intermediate_dense.kernel": .init(source: "lm_head.dense.weight", transform: .transpose),
                      "masked_lm_head.intermediate_dense.bias": .init(source: "lm_head.dense.bias"),
                      "masked_lm_head.intermediate_layer_norm.gamma": .init(source: "lm_head.layer_norm.weight"),
                      "masked_lm_head.intermediate_layer_norm.beta": .init(source: "lm_head.layer_norm.bias"),
                      "masked_lm_head.output_bias": .init(source: "lm_head.bias")],
            origin: origin) { name in
            !name.hasPrefix("lm_head.") || name == "lm_head.decoder.weight" || name == "lm_head.decoder.bias"
        }
    }
}
