import KerasHubLayers
import KerasHubTensor

/// Text classification with DistilBERT, as KerasHub's `DistilBertTextClassifier`: the first token's
/// state through `pooled_dense` (ReLU) and then `logits`. Transformers' `pre_classifier` and
/// `classifier` load through ``transformersHeadMapping(_:origin:)``.
public final class DistilBertTextClassifier: FirstTokenTextClassifier, @unchecked Sendable {
    /// Builds the classifier (ReLU on `pooled_dense`).
    /// - Throws: ``TaskError`` for a class count below 1, ``WeightError`` for head weights.
    public init(backbone: DistilBertBackbone, numClasses: Int, headWeights: WeightSource = .random(), preprocessor: DistilBertTextClassifierPreprocessor? = nil) throws {
        try super.init(
            backbone: backbone, numClasses: numClasses, pooledActivation: .relu, headWeights: headWeights, preprocessor: preprocessor)
    }

    /// Our head names read from a transformers `DistilBertForSequenceClassification` checkpoint.
    public static func transformersHeadMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        try MappedTensorStore(
            base: store,
            entries: ["pooled_dense.kernel": .init(source: "pre_classifier.weight", transform: .transpose),
                      "pooled_dense.bias": .init(source: "pre_classifier.bias"),
                      "logits.kernel": .init(source: "classifier.weight", transform: .transpose),
                      "logits.bias": .init(source: "classifier.bias")],
            origin: origin) { !$0.hasPrefix("classifier.") && !$0.hasPrefix("pre_classifier.") }
    }
}

