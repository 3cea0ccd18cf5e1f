import KerasHubTensor

/// The hyperparameters of a ``BertBackbone``, encoded with KerasHub's snake_case config keys.
public struct BertBackboneConfig: Codable, Sendable, Equatable {
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
    /// The number of segment (token type) ids.
    public var numSegments: Int
    /// The feed-forward activation: KerasHub's BERT uses tanh GELU, transformers' checkpoints exact GELU.
    public var activation: Activation
    /// Layer-norm epsilon.
    public var layerNormEpsilon: Float

    /// Creates a config; the defaults are KerasHub's.
    public init(
        vocabularySize: Int, numLayers: Int, numHeads: Int, hiddenDim: Int, intermediateDim: Int,
        dropout: Double = 0.1, maxSequenceLength: Int = 512, numSegments: Int = 2,
        activation: Activation = .geluApproximate, layerNormEpsilon: Float = 1e-12
    ) {
        self.vocabularySize = vocabularySize
        self.numLayers = numLayers
        self.numHeads = numHeads
        self.hiddenDim = hiddenDim
        self.intermediateDim = intermediateDim
        self.dropout = dropout
        self.maxSequenceLength = maxSequenceLength
        self.numSegments = numSegments
        self.activation = activation
        self.layerNormEpsilon = layerNormEpsilon
    }

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocabulary_size", numLayers = "num_layers", numHeads = "num_heads"
        case hiddenDim = "hidden_dim", intermediateDim = "intermediate_dim", dropout
        case maxSequenceLength = "max_sequence_length", numSegments = "num_segments"
        case activation, layerNormEpsilon = "layer_norm_epsilon"
    }

    /// Decodes a KerasHub config; keys KerasHub does not write (`activation`,
    /// `layer_norm_epsilon`) fall back to KerasHub's behaviour.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            vocabularySize: try container.decode(Int.self, forKey: .vocabularySize),
            numLayers: try container.decode(Int.self, forKey: .numLayers),
            numHeads: try container.decode(Int.self, forKey: .numHeads),
            hiddenDim: try container.decode(Int.self, forKey: .hiddenDim),
            intermediateDim: try container.decode(Int.self, forKey: .intermediateDim),
            dropout: try container.decodeIfPresent(Double.self, forKey: .dropout) ?? 0.1,
            maxSequenceLength: try container.decodeIfPresent(Int.self, forKey: .maxSequenceLength) ?? 512,
            numSegments: try container.decodeIfPresent(Int.self, forKey: .numSegments) ?? 2,
            activation: try container.decodeIfPresent(Activation.self, forKey: .activation) ?? .geluApproximate,
            layerNormEpsilon: try container.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-12)
    }
}

extension BertBackboneConfig {
    /// Checks that every size is non-negative.
    /// - Parameter file: the config's file, for the error message.
    /// - Throws: ``ConfigError/invalid(file:reason:)`` naming the key.
    public func validate(file: String = "BertBackbone config") throws {
        try BackboneConfigValidation.check(
            ["vocabulary_size": vocabularySize, "num_layers": numLayers, "num_heads": numHeads, "hidden_dim": hiddenDim,
             "intermediate_dim": intermediateDim, "max_sequence_length": maxSequenceLength, "num_segments": numSegments],
            file: file)
    }
}
