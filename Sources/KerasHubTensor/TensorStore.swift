/// A read-only collection of named tensors: one safetensors file, a set of shards, or tensors in memory.
///
/// Models never read files themselves; they take their weights from a store through a
/// `WeightSource` (in KerasHubLayers), which adds scoping, shape checks and usage tracking.
public protocol TensorStore: Sendable {
    /// Every tensor name in the store.
    var tensorNames: [String] { get }
    /// The shape of the named tensor, or `nil` when the store has no such tensor.
    func shape(of name: String) -> [Int]?
    /// The named tensor widened to float32.
    /// - Throws: an error naming the tensor when it is absent or cannot be read.
    func tensor(named name: String) throws -> Tensor
    /// How the named tensor is stored (`"F16"`, `"I64"`, … for safetensors), or `nil` when the store
    /// holds float32 values in memory or has no such tensor. Weights must be floating point.
    func storageDType(of name: String) -> String?
    /// The tensor's name for messages (see the default implementation).
    func displayName(of name: String) -> String
}

extension TensorStore {
    /// In-memory stores hold float32.
    public func storageDType(of name: String) -> String? { nil }

    /// How to name the tensor in messages: the name itself, or for a view under other names the
    /// checkpoint's name and ours (`embeddings.word_embeddings.weight -> token_embedding.embeddings`).
    public func displayName(of name: String) -> String { name }
}

/// Errors of ``TensorStore`` lookups that are not tied to a file format.
public enum TensorStoreError: Error, Equatable, CustomStringConvertible {
    /// The store has no tensor of that name.
    case missingTensor(name: String, store: String)

    /// A message naming the tensor and the store.
    public var description: String {
        switch self {
        case .missingTensor(let name, let store):
            return "tensor '\(name)' not found in \(store)"
        }
    }
}

/// Tensors held in memory, keyed by name.
public struct InMemoryTensorStore: TensorStore {
    /// The tensors, by name.
    public var tensors: [String: Tensor]
    /// A label used in error messages.
    public var label: String

    /// Creates a store over a dictionary of tensors.
    public init(_ tensors: [String: Tensor], label: String = "in-memory tensors") {
        self.tensors = tensors
        self.label = label
    }

    /// Every tensor name, sorted.
    public var tensorNames: [String] { tensors.keys.sorted() }

    /// The shape of the named tensor.
    public func shape(of name: String) -> [Int]? { tensors[name]?.shape }

    /// The named tensor.
    public func tensor(named name: String) throws -> Tensor {
        guard let tensor = tensors[name] else { throw TensorStoreError.missingTensor(name: name, store: label) }
        return tensor
    }
}
