import KerasHubLayers
import KerasHubTensor

/// The classifier head DistilBERT and RoBERTa share: the first token's state through `pooled_dense`
/// (the family's activation) and then `logits`. ``DistilBertTextClassifier`` (ReLU) and
/// ``RobertaTextClassifier`` (tanh) are this head with their families' checkpoint mappings.
open class FirstTokenTextClassifier: TextClassifier, @unchecked Sendable {
    /// `[hiddenDim, hiddenDim]` with the family's activation.
    public let pooledDense: Dense
    /// `[hiddenDim, numClasses]`.
    public let outputDense: Dense

    /// Builds the head on `backbone`; with random `headWeights` it starts as KerasHub's initializers draw it.
    /// - Throws: ``TaskError`` for a class count below 1, ``WeightError`` for head weights.
    public init(
        backbone: Backbone, numClasses: Int, pooledActivation: Activation, headWeights: WeightSource,
        preprocessor: TextClassifierPreprocessor?
    ) throws {
        guard numClasses > 0 else { throw TaskError.invalidConfiguration("numClasses must be positive, not \(numClasses)") }
        let hidden = backbone.hiddenDim
        pooledDense = try Dense(
            inputDim: hidden, outputDim: hidden, activation: pooledActivation, weights: headWeights.scope(TaskWeightName.pooledDense))
        outputDense = try Dense(inputDim: hidden, outputDim: numClasses, weights: headWeights.scope(TaskWeightName.logits))
        try super.init(backbone: backbone, numClasses: numClasses, preprocessor: preprocessor)
        try headWeights.checkAllTensorsUsed()
    }

    /// Logits `[batch, numClasses]` for token inputs.
    open override func callAsFunction(_ inputs: TokenBatch) throws -> Tensor {
        try outputDense(pooledDense(firstTokenStates(inputs)))
    }

    /// `pooled_dense` and `logits`.
    open override func visitHeadWeights(_ visitor: WeightVisitor) {
        visitor.child(TaskWeightName.pooledDense, pooledDense)
        visitor.child(TaskWeightName.logits, outputDense)
    }
}
