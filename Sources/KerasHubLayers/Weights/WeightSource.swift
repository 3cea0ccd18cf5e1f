import KerasHubTensor
import Synchronization

/// Where a model's layers take their weights from: a checkpoint (any ``TensorStore``), or random
/// initialisation with KerasHub's initializers. Scoped like a module tree, in the style of candle's
/// `VarBuilder` and MLX: `source.scope("transformer_layer_0").scope("self_attention")`.
///
/// A source records every tensor it hands out, so that after building a model
/// ``checkAllTensorsUsed()`` can report tensors of the checkpoint the model never asked for.
public struct WeightSource: Sendable {
    private enum Backing: Sendable {
        case store(any TensorStore)
        case random(seed: UInt64)
        case zeros
    }

    private let backing: Backing
    private let prefix: String
    private let usage: UsageLog
    /// A label for error messages: the checkpoint's file or directory.
    public let origin: String

    /// A source over a checkpoint's tensors.
    public init(store: any TensorStore, origin: String) {
        self.backing = .store(store)
        self.prefix = ""
        self.usage = UsageLog()
        self.origin = origin
    }

    /// A source that draws every weight at random, reproducibly from `seed`
    /// (for `loadWeights: false`).
    public static func random(seed: UInt64 = 0) -> WeightSource {
        WeightSource(backing: .random(seed: seed), prefix: "", usage: UsageLog(), origin: "random initialisation")
    }

    /// A source that gives every weight as zeros: the architecture without the cost of drawing
    /// random numbers, for checking shapes and counting parameters.
    public static func zeros() -> WeightSource {
        WeightSource(backing: .zeros, prefix: "", usage: UsageLog(), origin: "zero initialisation")
    }

    private init(backing: Backing, prefix: String, usage: UsageLog, origin: String) {
        self.backing = backing
        self.prefix = prefix
        self.usage = usage
        self.origin = origin
    }

    /// Whether this source reads a checkpoint (rather than drawing random weights).
    public var isCheckpoint: Bool {
        if case .store = backing { return true }
        return false
    }

    /// A source whose names are relative to `name` (joined with a dot).
    public func scope(_ name: String) -> WeightSource {
        WeightSource(backing: backing, prefix: qualified(name), usage: usage, origin: origin)
    }

    /// Whether the checkpoint has a tensor of this (relative) name; always false for random weights.
    public func contains(_ name: String) -> Bool {
        guard case .store(let store) = backing else { return false }
        return store.shape(of: qualified(name)) != nil
    }

    /// The shape of a checkpoint tensor (relative name), or `nil` when absent or random.
    public func shape(of name: String) -> [Int]? {
        guard case .store(let store) = backing else { return nil }
        return store.shape(of: qualified(name))
    }

    /// The named tensor, checked to have `shape`.
    /// - Parameter initializer: how to draw the tensor when the source is random.
    /// - Throws: ``WeightError`` naming the tensor when it is missing, unreadable, of another shape,
    ///   or holds a NaN or an infinity (``WeightError/nonFiniteValue(name:origin:index:value:)``).
    public func tensor(_ name: String, shape: [Int], initializer: WeightInitializer) throws -> Tensor {
        let fullName = qualified(name)
        switch backing {
        case .random(let seed):
            var generator = SplitMix64(seed: seed ^ SplitMix64.hash(fullName))
            return initializer.makeTensor(shape: shape, generator: &generator)
        case .zeros:
            return Tensor(shape: shape, repeating: 0)
        case .store(let store):
            guard let found = store.shape(of: fullName) else {
                throw WeightError.missingTensor(name: fullName, origin: origin)
            }
            guard found == shape else {
                throw WeightError.shapeMismatch(name: store.displayName(of: fullName), expected: shape, found: found, origin: origin)
            }
            if let dtype = store.storageDType(of: fullName), !Self.floatingDTypes.contains(dtype) {
                throw WeightError.wrongDType(name: store.displayName(of: fullName), found: dtype, origin: origin)
            }
            let tensor: Tensor
            do {
                tensor = try store.tensor(named: fullName)
            } catch {
                throw WeightError.unreadableTensor(name: store.displayName(of: fullName), origin: origin, reason: "\(error)")
            }
            if let index = tensor.withUnsafeBufferPointer(Self.firstNonFiniteIndex) {
                throw WeightError.nonFiniteValue(
                    name: store.displayName(of: fullName), origin: origin, index: index,
                    value: tensor.withUnsafeBufferPointer { $0[index] })
            }
            usage.record(fullName)
            return tensor
        }
    }

    /// Storage dtypes a weight may have: floating point.
    static let floatingDTypes: Set<String> = ["F32", "F16", "BF16", "F64"]

    /// The index of the first NaN or infinity in `values`, or `nil` when every value is finite.
    ///
    /// The common case (all finite) is one branch-free pass that the compiler vectorizes: a float is
    /// not finite exactly when its exponent bits are all ones.
    static func firstNonFiniteIndex(_ values: UnsafeBufferPointer<Float>) -> Int? {
        let exponent: UInt32 = 0x7F80_0000
        var flags: UInt32 = 0
        for value in values { flags |= (value.bitPattern & exponent) == exponent ? 1 : 0 }
        guard flags != 0 else { return nil }
        return values.firstIndex { !$0.isFinite }
    }

    /// ``firstNonFiniteIndex(_:)-(UnsafeBufferPointer<Float>)`` over an array.
    static func firstNonFiniteIndex(_ values: [Float]) -> Int? {
        values.withUnsafeBufferPointer { firstNonFiniteIndex($0) }
    }

    /// Throws when the checkpoint holds tensors no layer asked for.
    /// - Throws: ``WeightError/unexpectedTensors(names:origin:)``.
    public func checkAllTensorsUsed() throws {
        guard case .store(let store) = backing else { return }
        let used = usage.names
        let unused = store.tensorNames.filter { !used.contains($0) }.sorted()
        if !unused.isEmpty { throw WeightError.unexpectedTensors(names: unused, origin: origin) }
    }

    private func qualified(_ name: String) -> String {
        prefix.isEmpty ? name : (name.isEmpty ? prefix : prefix + "." + name)
    }
}

/// The names a source has handed out, shared by all scopes of one source.
private final class UsageLog: Sendable {
    private let used = Mutex<Set<String>>([])

    func record(_ name: String) { used.withLock { _ = $0.insert(name) } }

    var names: Set<String> { used.withLock { $0 } }
}
