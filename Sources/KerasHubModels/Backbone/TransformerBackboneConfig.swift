import KerasHubTensor

/// What tells one family's ``TransformerBackboneConfig`` from another's: KerasHub's defaults for
/// the keys a config may leave out, and the family's name for error messages.
public protocol TransformerConfigDefaults: Sendable {
    /// The backbone class name (`"GPT2Backbone"`), used in error messages.
    static var backboneName: String { get }
    /// The default length of the position table.
    static var maxSequenceLength: Int { get }
    /// The default feed-forward activation.
    static var activation: Activation { get }
    /// The default layer-norm epsilon.
    static var layerNormEpsilon: Float { get }
}

/// The hyperparameters of a transformer backbone without segment embeddings (``DistilBertBackboneConfig``,
/// ``GPT2BackboneConfig``), encoded with KerasHub's snake_case config keys; `Defaults` holds the
/// family's defaults.
public struct TransformerBackboneConfig<Defaults: TransformerConfigDefaults>: Codable, Sendable, Equatable {
    /// The number of token ids.
    public var vocabularySize: Int
    /// The number of transformer blocks.
    public var numLayers: Int
    /// The number of attention heads per block.
    public var numHeads: Int
    /// The model width.
    public var hiddenDim: Int
    /// The width of the feed-forward block.
    public var intermediateDim: Int
    /// Dropout rate during training (kept for config fidelity; inference has no dropout).
    public var dropout: Double
    /// The length of the position table.
    public var maxSequenceLength: Int
    /// The feed-forward activation (exact GELU in DistilBERT, tanh GELU in GPT-2).
    public var activation: Activation
    /// Layer-norm epsilon.
    public var layerNormEpsilon: Float

    /// Creates a config; the defaults are KerasHub's for the family.
    public init(
        vocabularySize: Int, numLayers: Int, numHeads: Int, hiddenDim: Int, intermediateDim: Int,
        dropout: Double = 0.1, maxSequenceLength: Int = Defaults.maxSequenceLength,
        activation: Activation = Defaults.activation, layerNormEpsilon: Float = Defaults.layerNormEpsilon
    ) {
        self.vocabularySize = vocabularySize
        self.numLayers = numLayers
        self.numHeads = numHeads
        self.hiddenDim = hiddenDim
        self.intermediateDim = intermediateDim
        self.dropout = dropout
        self.maxSequenceLength = maxSequenceLength
        self.activation = activation
        self.layerNormEpsilon = layerNormEpsilon
    }

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocabulary_size", numLayers = "num_layers", numHeads = "num_heads"
        case hiddenDim = "hidden_dim", intermediateDim = "intermediate_dim", dropout
        case maxSequenceLength = "max_sequence_length", activation, layerNormEpsilon = "layer_norm_epsilon"
    }

    /// Decodes a KerasHub config; keys KerasHub does not write fall back to KerasHub's behaviour.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            vocabularySize: try container.decode(Int.self, forKey: .vocabularySize),
            numLayers: try container.decode(Int.self, forKey: .numLayers),
            numHeads: try container.decode(Int.self, forKey: .numHeads),
            hiddenDim: try container.decode(Int.self, forKey: .hiddenDim),
            intermediateDim: try container.decode(Int.self, forKey: .intermediateDim),
            dropout: try container.decodeIfPresent(Double.self, forKey: .dropout) ?? 0.1,
            maxSequenceLength: try container.decodeIfPresent(Int.self, forKey: .maxSequenceLength) ?? Defaults.maxSequenceLength,
            activation: try container.decodeIfPresent(Activation.self, forKey: .activation) ?? Defaults.activation,
            layerNormEpsilon: try container.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? Defaults.layerNormEpsilon)
    }

    /// Checks that every size is non-negative.
    /// - Parameter file: the config's file, for the error message (default: `"<Backbone> config"`).
    /// - Throws: ``ConfigError/invalid(file:reason:)`` naming the key.
    public func validate(file: String = "\(Defaults.backboneName) config") throws {
        try BackboneConfigValidation.check(
            ["vocabulary_size": vocabularySize, "num_layers": numLayers, "num_heads": numHeads, "hidden_dim": hiddenDim,
             "intermediate_dim": intermediateDim, "max_sequence_length": maxSequenceLength],
            file: file)
    }
}
