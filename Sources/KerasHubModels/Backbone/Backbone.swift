import KerasHubLayers
import KerasHubTensor

/// What a backbone computes for a batch.
public struct BackboneOutput: Sendable {
    /// The final hidden states, `[batch, sequenceLength, hiddenDim]`.
    public var sequenceOutput: Tensor
    /// A per-sequence vector, `[batch, hiddenDim]`, for backbones that have one (BERT's pooler).
    public var pooledOutput: Tensor?

    /// Creates an output.
    public init(sequenceOutput: Tensor, pooledOutput: Tensor? = nil) {
        self.sequenceOutput = sequenceOutput
        self.pooledOutput = pooledOutput
    }
}

/// The base class of every backbone: a transformer that maps token ids to hidden states.
///
/// Concrete backbones (``BertBackbone``, ``RobertaBackbone``, ``GPT2Backbone``…) are immutable
/// after construction, so one instance can serve many threads at once. What every caller needs
/// (the width, the vocabulary, the position table, the token embedding) is here, so no caller
/// switches over concrete classes.
open class Backbone: WeightTree, @unchecked Sendable {
    /// The model width: the last dimension of ``BackboneOutput/sequenceOutput``.
    public let hiddenDim: Int
    /// The number of token ids the backbone accepts (`0..<vocabularySize`).
    public let vocabularySize: Int
    /// The longest sequence the backbone accepts.
    public let maxSequenceLength: Int
    /// The token embedding table (tied to the masked-LM and causal-LM heads).
    public let tokenEmbedding: Embedding

    /// Creates the base part of a backbone.
    public init(hiddenDim: Int, vocabularySize: Int, maxSequenceLength: Int, tokenEmbedding: Embedding) {
        self.hiddenDim = hiddenDim
        self.vocabularySize = vocabularySize
        self.maxSequenceLength = maxSequenceLength
        self.tokenEmbedding = tokenEmbedding
    }

    /// Lists the backbone's weights and layers under their preset names (the names its initializer
    /// reads): ``WeightTree/namedWeights`` (saving), ``WeightTree/parameterCount`` and
    /// ``WeightTree/weightShapes`` derive from it.
    open func visitWeights(_ visitor: WeightVisitor) {}

    /// The hidden states for `inputs`.
    /// - Throws: ``InputError`` for inputs the model cannot take.
    open func callAsFunction(_ inputs: TokenBatch) throws -> BackboneOutput {
        fatalError("\(type(of: self)) must override callAsFunction(_:)")
    }
}

/// The preset names of the backbones' layers, read by their initializers and listed by their
/// ``Backbone/visitWeights(_:)``.
public enum BackboneWeightName {
    /// The token embedding.
    public static let tokenEmbedding = "token_embedding"
    /// The position embedding.
    public static let positionEmbedding = "position_embedding"
    /// BERT's segment embedding.
    public static let segmentEmbedding = "segment_embedding"
    /// The norm over the summed embeddings.
    public static let embeddingsLayerNorm = "embeddings_layer_norm"
    /// BERT's pooler.
    public static let pooledDense = "pooled_dense"
    /// GPT-2's final norm.
    public static let layerNorm = "layer_norm"
    /// Transformer block `index`.
    public static func transformerLayer(_ index: Int) -> String { "transformer_layer_\(index)" }
}

extension Tensor {
    /// Reshapes `[batch * length, hidden]` rows to `[batch, length, hidden]`.
    func batched(_ batch: Int, _ length: Int) throws -> Tensor {
        try reshaped([batch, length, shape[shape.count - 1]])
    }
}
