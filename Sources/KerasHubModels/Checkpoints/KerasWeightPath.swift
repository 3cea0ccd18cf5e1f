import KerasHubLayers
import KerasHubTensor

/// Where one of our weights lives in a Keras `.weights.h5` file, and its shape there.
///
/// Keras addresses a layer by the snake-cased class names of the objects that lead to it, numbered
/// in build order (`layers/transformer_encoder_1/_self_attention_layer/query_dense`), and its
/// variables as `vars/0`, `vars/1`… Keras's attention projections keep the heads as an axis
/// (`query_dense` kernel `[hidden, heads, head_dim]`); ours are the same values as one matrix, so a
/// path carries both shapes and the values are reshaped, never reordered.
public struct KerasWeightPath: Sendable, Equatable {
    /// Our weight name (`transformer_layer_1.self_attention.query.kernel`).
    public var ours: String
    /// The dataset path in the weights file (`layers/transformer_encoder_1/_self_attention_layer/query_dense/vars/0`).
    public var keras: String
    /// The dataset's shape in the file.
    public var kerasShape: [Int]
    /// Our tensor's shape (the same values, row-major).
    public var ourShape: [Int]

    /// Creates a path.
    public init(ours: String, keras: String, kerasShape: [Int], ourShape: [Int]? = nil) {
        self.ours = ours
        self.keras = keras
        self.kerasShape = kerasShape
        self.ourShape = ourShape ?? kerasShape
    }
}

/// Builds a model's ``KerasWeightPath`` list layer by layer, with Keras's names for the layers
/// KerasHub builds from (`Dense`, `LayerNormalization`, `Embedding`, `MultiHeadAttention`,
/// `TransformerEncoder` / `TransformerDecoder`).
public struct KerasWeightPaths: Sendable {
    /// The paths so far, in the model's build order (the order Keras saves and shards in).
    public private(set) var paths: [KerasWeightPath] = []

    /// An empty list.
    public init() {}

    /// Keras's name for the `index`-th object of one class in a container: `dense`, `dense_1`, `dense_2`…
    public static func numbered(_ base: String, _ index: Int) -> String { index == 0 ? base : "\(base)_\(index)" }

    private static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    /// One variable.
    public mutating func variable(_ ours: String, _ keras: String, index: Int, shape: [Int], ourShape: [Int]? = nil) {
        paths.append(KerasWeightPath(ours: ours, keras: "\(keras)/vars/\(index)", kerasShape: shape, ourShape: ourShape))
    }

    /// A `Dense` layer: kernel `[input, output]`, bias `[output]`.
    public mutating func dense(_ ours: String, _ keras: String, input: Int, output: Int, bias: Bool = true) {
        variable(Self.join(ours, WeightName.kernel), keras, index: 0, shape: [input, output])
        if bias { variable(Self.join(ours, WeightName.bias), keras, index: 1, shape: [output]) }
    }

    /// A `LayerNormalization`: gamma, beta `[dim]`.
    public mutating func layerNorm(_ ours: String, _ keras: String, dim: Int) {
        variable(Self.join(ours, WeightName.gamma), keras, index: 0, shape: [dim])
        variable(Self.join(ours, WeightName.beta), keras, index: 1, shape: [dim])
    }

    /// An `Embedding`, `ReversibleEmbedding` or `PositionEmbedding`: the table `[rows, dim]`.
    public mutating func embedding(_ ours: String, _ keras: String, rows: Int, dim: Int) {
        variable(Self.join(ours, WeightName.embeddings), keras, index: 0, shape: [rows, dim])
    }

    /// A `MultiHeadAttention`'s four `EinsumDense` projections, heads kept as an axis.
    public mutating func attention(_ ours: String, _ keras: String, hidden: Int, heads: Int) {
        let headDim = heads > 0 ? hidden / heads : 0
        for (our, theirs) in [(WeightName.query, "query_dense"), (WeightName.key, "key_dense"), (WeightName.value, "value_dense")] {
            let name = Self.join(ours, our), path = keras + "/" + theirs
            variable(Self.join(name, WeightName.kernel), path, index: 0, shape: [hidden, heads, headDim], ourShape: [hidden, hidden])
            variable(Self.join(name, WeightName.bias), path, index: 1, shape: [heads, headDim], ourShape: [hidden])
        }
        let output = Self.join(ours, WeightName.attentionOutput), path = keras + "/output_dense"
        variable(Self.join(output, WeightName.kernel), path, index: 0, shape: [heads, headDim, hidden], ourShape: [hidden, hidden])
        variable(Self.join(output, WeightName.bias), path, index: 1, shape: [hidden])
    }

    /// A KerasHub `TransformerEncoder` or `TransformerDecoder` (self-attention only) block.
    public mutating func transformerBlock(_ ours: String, _ keras: String, hidden: Int, heads: Int, intermediate: Int) {
        attention(Self.join(ours, WeightName.selfAttention), keras + "/_self_attention_layer", hidden: hidden, heads: heads)
        layerNorm(Self.join(ours, WeightName.selfAttentionLayerNorm), keras + "/_self_attention_layer_norm", dim: hidden)
        dense(Self.join(ours, WeightName.feedForwardIntermediate), keras + "/_feedforward_intermediate_dense", input: hidden, output: intermediate)
        dense(Self.join(ours, WeightName.feedForwardOutput), keras + "/_feedforward_output_dense", input: intermediate, output: hidden)
        layerNorm(Self.join(ours, WeightName.feedForwardLayerNorm), keras + "/_feedforward_layer_norm", dim: hidden)
    }

    /// A KerasHub `MaskedLMHead` (tied to the token embedding): intermediate dense, layer norm, output bias.
    public mutating func maskedLMHead(_ ours: String, _ keras: String, hidden: Int, vocabulary: Int) {
        dense(Self.join(ours, WeightName.intermediateDense), keras + "/_intermediate_dense", input: hidden, output: hidden)
        layerNorm(Self.join(ours, WeightName.intermediateLayerNorm), keras + "/_intermediate_layer_norm", dim: hidden)
        variable(Self.join(ours, WeightName.outputBias), keras, index: 0, shape: [vocabulary])
    }
}

extension KerasWeightPaths {
    /// The layers KerasHub's `enable_lora` factors in a stack of `numLayers` transformer blocks,
    /// by the index `save_lora_weights` writes (`lora/<index>/…`): the position among the backbone's
    /// layers that hold weights, in Keras's depth-first order. `leadingLayers` such layers come
    /// before the first block (the embeddings and their norm); each block then counts ten (itself,
    /// its two feed-forward denses, its two norms, its attention, and the attention's output,
    /// value, key and query projections, in that order), so a block's value projection is its
    /// seventh and its query its ninth.
    public static func loraTargets(leadingLayers: Int, numLayers: Int) -> [Int: String] {
        var targets: [Int: String] = [:]
        for layer in 0..<numLayers {
            let attention = BackboneWeightName.transformerLayer(layer) + "." + WeightName.selfAttention
            targets[leadingLayers + 10 * layer + 7] = attention + "." + WeightName.value
            targets[leadingLayers + 10 * layer + 9] = attention + "." + WeightName.query
        }
        return targets
    }
}

extension Array where Element == KerasWeightPath {
    /// A view of a Keras weights file under our names. Every path must be in the file with its
    /// Keras shape, and every dataset of the file must be a path, or be matched by `ignoring`
    /// (a task file's `optimizer/…` state).
    /// - Throws: ``WeightError/missingTensor(name:origin:)``, ``WeightError/shapeMismatch(name:expected:found:origin:)``
    ///   or ``WeightError/unexpectedTensors(names:origin:)``, naming the Keras path.
    public func mappedStore(over file: any TensorStore, origin: String, ignoring: (String) -> Bool = { _ in false }) throws
        -> MappedTensorStore {
        var entries: [String: MappedTensorStore.Entry] = [:]
        for path in self {
            guard let shape = file.shape(of: path.keras) else { throw WeightError.missingTensor(name: path.keras, origin: origin) }
            guard shape == path.kerasShape else {
                throw WeightError.shapeMismatch(name: path.keras, expected: path.kerasShape, found: shape, origin: origin)
            }
            entries[path.ours] = MappedTensorStore.Entry(source: path.keras, transform: .reshape(path.ourShape))
        }
        return try MappedTensorStore(base: file, entries: entries, origin: origin, ignoring: ignoring)
    }

    /// Our named weights as Keras datasets, reshaped to Keras's shapes, in this list's order.
    /// - Throws: ``WeightError/missingTensor(name:origin:)`` or ``WeightError/shapeMismatch(name:expected:found:origin:)``
    ///   when `weights` does not hold a path's tensor in its shape.
    public func kerasEntries(from weights: [String: Tensor], origin: String) throws -> [KerasWeightsEntry] {
        var remaining = Set(weights.keys)
        let entries = try map { path -> KerasWeightsEntry in
            guard let tensor = weights[path.ours] else { throw WeightError.missingTensor(name: path.ours, origin: origin) }
            guard tensor.shape == path.ourShape else {
                throw WeightError.shapeMismatch(name: path.ours, expected: path.ourShape, found: tensor.shape, origin: origin)
            }
            remaining.remove(path.ours)
            return KerasWeightsEntry(path: path.keras, tensor: try tensor.reshaped(path.kerasShape))
        }
        if !remaining.isEmpty { throw WeightError.unexpectedTensors(names: remaining.sorted(), origin: origin) }
        return entries
    }
}
