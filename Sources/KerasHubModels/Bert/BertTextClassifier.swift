import KerasHubLayers
import KerasHubTensor

/// Text classification with BERT, as KerasHub's `BertTextClassifier`: logits from a dense layer on
/// the pooled output (`tanh(dense([CLS]))`). Head weights: `logits.{kernel,bias}`; transformers'
/// `BertForSequenceClassification` head (`classifier.*`) loads through ``transformersHeadMapping(_:origin:)``.
public final class BertTextClassifier: TextClassifier, @unchecked Sendable {
    /// `[hiddenDim, numClasses]`.
    public let outputDense: Dense

    /// Builds the classifier; with random `headWeights` the head starts as KerasHub's initializers draw it.
    /// - Throws: ``TaskError`` for a backbone without a pooler, ``WeightError`` for head weights.
    public init(backbone: BertBackbone, numClasses: Int, headWeights: WeightSource = .random(), preprocessor: BertTextClassifierPreprocessor? = nil) throws {
        guard backbone.pooledDense != nil else {
            throw TaskError.invalidConfiguration("BertTextClassifier needs the backbone's pooler, which this checkpoint lacks")
        }
        guard numClasses > 0 else { throw TaskError.invalidConfiguration("numClasses must be positive, not \(numClasses)") }
        outputDense = try Dense(inputDim: backbone.hiddenDim, outputDim: numClasses, weights: headWeights.scope(TaskWeightName.logits))
        try super.init(backbone: backbone, numClasses: numClasses, preprocessor: preprocessor)
        try headWeights.checkAllTensorsUsed()
    }

    /// Logits `[batch, numClasses]` for token inputs.
    public override func callAsFunction(_ inputs: TokenBatch) throws -> Tensor {
        guard let pooled = try backbone(inputs).pooledOutput else {
            throw TaskError.invalidConfiguration("the backbone produced no pooled output")
        }
        return try outputDense(pooled)
    }

    /// `logits`.
    public override func visitHeadWeights(_ visitor: WeightVisitor) { visitor.child(TaskWeightName.logits, outputDense) }

    /// Our head names read from a transformers `BertForSequenceClassification` checkpoint.
    public static func transformersHeadMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        try MappedTensorStore(
            base: store,
            entries: ["logits.kernel": .init(source: "classifier.weight", transform: .transpose),
                      "logits.bias": .init(source: "classifier.bias")],
            origin: origin) { !$0.hasPrefix("classifier.") }
    }
}
