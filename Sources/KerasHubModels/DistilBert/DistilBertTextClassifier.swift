import KerasHubLayers
import KerasHubTensor

/// Text classification with DistilBERT, as KerasHub's `DistilBertTextClassifier`: the first token's
/// state through `pooled_dense` (ReLU) and then `logits`. Transformers' `pre_classifier` and
/// `classifier` load through ``transformersHeadMapping(_:origin:)``.
public final class DistilBertTextClassifier: TextClassifier, @unchecked Sendable {
    /// `[hiddenDim, hiddenDim]`, ReLU.
    public let pooledDense: Dense
    /// `[hiddenDim, numClasses]`.
    public let outputDense: Dense

    /// Builds the classifier.
    public init(backbone: DistilBertBackbone, numClasses: Int, headWeights: WeightSource = .random(), preprocessor: DistilBertTextClassifierPreprocessor? = nil) throws {
        guard numClasses > 0 else { throw TaskError.invalidConfiguration("numClasses must be positive, not \(numClasses)") }
        let hidden = backbone.hiddenDim
        pooledDense = try Dense(inputDim: hidden, outputDim: hidden, activation: .relu, weights: headWeights.scope(TaskWeightName.pooledDense))
        outputDense = try Dense(inputDim: hidden, outputDim: numClasses, weights: headWeights.scope(TaskWeightName.logits))
        try super.init(backbone: backbone, numClasses: numClasses, preprocessor: preprocessor)
        try headWeights.checkAllTensorsUsed()
    }

    /// Logits `[batch, numClasses]` for token inputs.
    public override func callAsFunction(_ inputs: TokenBatch) throws -> Tensor {
        try outputDense(pooledDense(firstTokenStates(inputs)))
    }

    /// `pooled_dense` and `logits`.
    public override func visitHeadWeights(_ visitor: WeightVisitor) {
        visitor.child(TaskWeightName.pooledDense, pooledDense)
        visitor.child(TaskWeightName.logits, outputDense)
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

