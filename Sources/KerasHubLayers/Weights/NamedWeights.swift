/// Layers list their tensors under the names ``WeightSource`` reads them by, so that a loaded model
/// can be written back as a checkpoint (`saveToPreset`) and read again to the same numbers.
public protocol NamedWeights {
    /// Adds every tensor of the layer to `weights`, each name prefixed with `prefix` and a dot.
    func collectWeights(prefix: String, into weights: inout [String: Tensor])
}

extension NamedWeights {
    /// Every tensor of the layer under its relative name.
    public var namedWeights: [String: Tensor] {
        var weights: [String: Tensor] = [:]
        collectWeights(prefix: "", into: &weights)
        return weights
    }
}

/// `prefix` joined to `name` with a dot (no dot when the prefix is empty).
@inline(__always)
func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

extension Dense: NamedWeights {
    /// `kernel` and, if present, `bias`.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        weights[join(prefix, "kernel")] = kernel
        if let bias { weights[join(prefix, "bias")] = bias }
    }
}

extension LayerNorm: NamedWeights {
    /// `gamma` and `beta`.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        weights[join(prefix, "gamma")] = gamma
        weights[join(prefix, "beta")] = beta
    }
}

extension Embedding: NamedWeights {
    /// `embeddings`.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        weights[join(prefix, "embeddings")] = embeddings
    }
}

extension PositionEmbedding: NamedWeights {
    /// `embeddings`.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        weights[join(prefix, "embeddings")] = embeddings
    }
}

extension MultiHeadAttention: NamedWeights {
    /// `query`, `key`, `value`, `attention_output`.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        query.collectWeights(prefix: join(prefix, "query"), into: &weights)
        key.collectWeights(prefix: join(prefix, "key"), into: &weights)
        value.collectWeights(prefix: join(prefix, "value"), into: &weights)
        output.collectWeights(prefix: join(prefix, "attention_output"), into: &weights)
    }
}

extension FeedForward: NamedWeights {
    /// `feedforward_intermediate_dense`, `feedforward_output_dense`.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        intermediate.collectWeights(prefix: join(prefix, "feedforward_intermediate_dense"), into: &weights)
        output.collectWeights(prefix: join(prefix, "feedforward_output_dense"), into: &weights)
    }
}

extension TransformerEncoder: NamedWeights {
    /// The attention, feed-forward and both norms.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        selfAttention.collectWeights(prefix: join(prefix, "self_attention"), into: &weights)
        selfAttentionLayerNorm.collectWeights(prefix: join(prefix, "self_attention_layer_norm"), into: &weights)
        feedForward.collectWeights(prefix: prefix, into: &weights)
        feedForwardLayerNorm.collectWeights(prefix: join(prefix, "feedforward_layer_norm"), into: &weights)
    }
}

extension TransformerDecoder: NamedWeights {
    /// The attention, feed-forward and both norms.
    public func collectWeights(prefix: String, into weights: inout [String: Tensor]) {
        selfAttention.collectWeights(prefix: join(prefix, "self_attention"), into: &weights)
        selfAttentionLayerNorm.collectWeights(prefix: join(prefix, "self_attention_layer_norm"), into: &weights)
        feedForward.collectWeights(prefix: prefix, into: &weights)
        feedForwardLayerNorm.collectWeights(prefix: join(prefix, "feedforward_layer_norm"), into: &weights)
    }
}
