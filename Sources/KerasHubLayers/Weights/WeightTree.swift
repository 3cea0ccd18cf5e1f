import KerasHubTensor

/// Something that holds weights under names: a layer, a block, a backbone, a task's head.
///
/// Each type lists its weights and named sublayers once, in ``visitWeights(_:)``, with the same
/// name constants its initializer reads them by (``WeightSource/scope(_:)``); saving
/// (``namedWeights``), counting (``parameterCount``) and the names a checkpoint must hold
/// (``weightShapes``) all derive from that one traversal, as MLX's `@ModuleInfo(key:)` and candle's
/// `vb.pp("name")` keep a module's names in one place.
public protocol WeightTree {
    /// Calls `visitor` for each weight (``WeightVisitor/weight(_:shape:_:)``) and each named
    /// sublayer (``WeightVisitor/child(_:_:)``).
    func visitWeights(_ visitor: WeightVisitor)
}

/// Walks a ``WeightTree``, keeping the dotted path of the current sublayer.
public final class WeightVisitor {
    private var prefix: [String] = []
    private let onWeight: (String, [Int], () -> Tensor) -> Void

    /// A visitor that calls `onWeight(fullName, shape, tensor)` for every weight; `tensor`
    /// materialises it (a packed kernel is unpacked), so a visitor that only counts never calls it.
    public init(_ onWeight: @escaping (String, [Int], () -> Tensor) -> Void) {
        self.onWeight = onWeight
    }

    /// A weight of the current layer.
    public func weight(_ name: String, shape: [Int], _ tensor: @autoclosure () -> Tensor) {
        onWeight((prefix + [name]).joined(separator: "."), shape, tensor)
    }

    /// A sublayer under `name` (an empty name visits it under the current path, as a block's feed-forward).
    public func child(_ name: String, _ tree: (any WeightTree)?) {
        guard let tree else { return }
        if name.isEmpty { return tree.visitWeights(self) }
        prefix.append(name)
        tree.visitWeights(self)
        prefix.removeLast()
    }
}

extension WeightTree {
    /// Every weight under its full name (as ``WeightSource`` reads it back).
    public var namedWeights: [String: Tensor] {
        var weights: [String: Tensor] = [:]
        visitWeights(WeightVisitor { name, _, tensor in weights[name] = tensor() })
        return weights
    }

    /// Every weight's name and shape, without materialising any tensor.
    public var weightShapes: [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        visitWeights(WeightVisitor { name, shape, _ in shapes[name] = shape })
        return shapes
    }

    /// The number of weights, counted from the shapes.
    public var parameterCount: Int {
        var count = 0
        visitWeights(WeightVisitor { _, shape, _ in count += shape.reduce(1, *) })
        return count
    }
}

/// The names the shared layers read their weights by: each initializer scopes its sublayers with
/// these, and each ``WeightTree/visitWeights(_:)`` lists them.
public enum WeightName {
    /// A LoRA adapter's down projection `[in, rank]` and up projection `[rank, out]` (Keras's names).
    public static let loraKernelA = "lora_kernel_a", loraKernelB = "lora_kernel_b"
    /// A dense layer's matrix.
    public static let kernel = "kernel"
    /// A dense layer's bias.
    public static let bias = "bias"
    /// A layer norm's scale.
    public static let gamma = "gamma"
    /// A layer norm's shift.
    public static let beta = "beta"
    /// An embedding table.
    public static let embeddings = "embeddings"
    /// Attention projections.
    public static let query = "query", key = "key", value = "value", attentionOutput = "attention_output"
    /// A transformer block's parts.
    public static let selfAttention = "self_attention", selfAttentionLayerNorm = "self_attention_layer_norm"
    /// A transformer block's feed-forward parts.
    public static let feedForwardIntermediate = "feedforward_intermediate_dense", feedForwardOutput = "feedforward_output_dense"
    /// The norm after a block's feed-forward.
    public static let feedForwardLayerNorm = "feedforward_layer_norm"
    /// A masked-LM head's parts.
    public static let intermediateDense = "intermediate_dense", intermediateLayerNorm = "intermediate_layer_norm"
    /// A masked-LM head's output bias.
    public static let outputBias = "output_bias"
}

extension Dense: WeightTree {
    /// `kernel`, `bias` if present, and a LoRA adapter's `lora_kernel_a` / `lora_kernel_b` if one is loaded.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitor.weight(WeightName.kernel, shape: [inputDim, outputDim], kernel)
        if let bias { visitor.weight(WeightName.bias, shape: bias.shape, bias) }
        if let lora {
            visitor.weight(WeightName.loraKernelA, shape: lora.a.shape, lora.a)
            visitor.weight(WeightName.loraKernelB, shape: lora.b.shape, lora.b)
        }
    }
}

extension LayerNorm: WeightTree {
    /// `gamma` and `beta`.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitor.weight(WeightName.gamma, shape: gamma.shape, gamma)
        visitor.weight(WeightName.beta, shape: beta.shape, beta)
    }
}

extension Embedding: WeightTree {
    /// `embeddings`.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitor.weight(WeightName.embeddings, shape: embeddings.shape, embeddings)
    }
}

extension PositionEmbedding: WeightTree {
    /// `embeddings`.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitor.weight(WeightName.embeddings, shape: embeddings.shape, embeddings)
    }
}

extension MultiHeadAttention: WeightTree {
    /// `query`, `key`, `value`, `attention_output`.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitor.child(WeightName.query, query)
        visitor.child(WeightName.key, key)
        visitor.child(WeightName.value, value)
        visitor.child(WeightName.attentionOutput, output)
    }
}

extension FeedForward: WeightTree {
    /// `feedforward_intermediate_dense`, `feedforward_output_dense`.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitor.child(WeightName.feedForwardIntermediate, intermediate)
        visitor.child(WeightName.feedForwardOutput, output)
    }
}

extension TransformerEncoder: WeightTree {
    /// The attention, feed-forward and both norms.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitTransformerBlock(visitor, selfAttention, selfAttentionLayerNorm, feedForward, feedForwardLayerNorm)
    }
}

extension TransformerDecoder: WeightTree {
    /// The attention, feed-forward and both norms (the same names as the encoder block's).
    public func visitWeights(_ visitor: WeightVisitor) {
        visitTransformerBlock(visitor, selfAttention, selfAttentionLayerNorm, feedForward, feedForwardLayerNorm)
    }
}

/// A transformer block's four parts under their names (the feed-forward's layers sit in the block's scope).
private func visitTransformerBlock(
    _ visitor: WeightVisitor, _ attention: MultiHeadAttention, _ attentionNorm: LayerNorm, _ feedForward: FeedForward,
    _ feedForwardNorm: LayerNorm
) {
    visitor.child(WeightName.selfAttention, attention)
    visitor.child(WeightName.selfAttentionLayerNorm, attentionNorm)
    visitor.child("", feedForward)
    visitor.child(WeightName.feedForwardLayerNorm, feedForwardNorm)
}

extension MaskedLMHead: WeightTree {
    /// `intermediate_dense`, `intermediate_layer_norm`, `output_bias`.
    public func visitWeights(_ visitor: WeightVisitor) {
        visitor.child(WeightName.intermediateDense, intermediateDense)
        visitor.child(WeightName.intermediateLayerNorm, intermediateLayerNorm)
        visitor.weight(WeightName.outputBias, shape: outputBias.shape, outputBias)
    }
}
