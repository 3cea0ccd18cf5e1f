import KerasHubTensor

/// The base class of text classifiers, as KerasHub's `TextClassifier`: an encoder backbone with a
/// head that maps each sequence to `numClasses` logits. Concrete classes (``BertTextClassifier``,
/// ``RobertaTextClassifier``…) supply the head; `TextClassifier.fromPreset(_:numClasses:)` picks
/// the class from the preset's backbone.
open class TextClassifier: Task, @unchecked Sendable {
    /// The number of classes.
    public let numClasses: Int
    /// Turns raw text into inputs; `nil` when the classifier only takes token ids.
    public let preprocessor: TextClassifierPreprocessor?

    /// Creates the base part of a classifier.
    /// - Throws: ``TaskError/invalidConfiguration(_:)`` for a class count below 1.
    public init(backbone: Backbone, numClasses: Int, preprocessor: TextClassifierPreprocessor?) throws {
        guard numClasses > 0 else { throw TaskError.invalidConfiguration("numClasses must be positive, not \(numClasses)") }
        self.numClasses = numClasses
        self.preprocessor = preprocessor
        super.init(backbone: backbone)
    }

    /// Logits `[batch, numClasses]` for token inputs.
    /// - Throws: ``InputError`` for inputs the backbone cannot take.
    open func callAsFunction(_ inputs: TokenBatch) throws -> Tensor {
        throw TaskError.invalidConfiguration("\(type(of: self)) does not implement callAsFunction(_:)")
    }

    /// Logits for raw texts.
    /// - Throws: ``TaskError/noPreprocessor(_:)`` without a preprocessor.
    public func predict(_ texts: [String]) throws -> Tensor {
        guard let preprocessor else { throw TaskError.noPreprocessor("\(type(of: self))") }
        return try self(preprocessor(texts))
    }

    /// Logits for text pairs.
    /// - Throws: ``TaskError/noPreprocessor(_:)`` without a preprocessor.
    public func predict(pairs: [(String, String)]) throws -> Tensor {
        guard let preprocessor else { throw TaskError.noPreprocessor("\(type(of: self))") }
        return try self(preprocessor(pairs: pairs))
    }

    /// The hidden state of each sequence's first token, `[batch, hiddenDim]`.
    func firstTokenStates(_ inputs: TokenBatch) throws -> Tensor {
        let hidden = try backbone(inputs).sequenceOutput
        let rows = (0..<inputs.batchSize).map { Int32($0 * inputs.sequenceLength) }
        return try hidden.reshaped([inputs.batchSize * inputs.sequenceLength, hidden.shape[2]]).gatherRows(rows)
    }
}
