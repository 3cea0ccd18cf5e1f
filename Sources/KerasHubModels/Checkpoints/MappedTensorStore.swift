/// How a tensor of our layout is derived from one checkpoint tensor.
public enum TensorTransform: Sendable, Equatable {
    /// Taken as stored.
    case identity
    /// A rank-2 tensor transposed (PyTorch `Linear` `[out, in]` to Keras `[in, out]`).
    case transpose
    /// Part `index` of `parts` equal slices of the last dimension (GPT-2's fused `c_attn` into q, k, v).
    case splitLastAxis(index: Int, parts: Int)

    /// The shape the transform produces from a source of `shape`, or `nil` when it does not apply.
    func outputShape(from shape: [Int]) -> [Int]? {
        switch self {
        case .identity:
            return shape
        case .transpose:
            return shape.count == 2 ? [shape[1], shape[0]] : nil
        case .splitLastAxis(_, let parts):
            guard let last = shape.last, parts > 0, last % parts == 0 else { return nil }
            return Array(shape.dropLast()) + [last / parts]
        }
    }

    /// Applies the transform.
    func apply(_ tensor: Tensor) throws -> Tensor {
        switch self {
        case .identity:
            return tensor
        case .transpose:
            return try tensor.transposed()
        case .splitLastAxis(let index, let parts):
            guard let width = tensor.shape.last, parts > 0, width % parts == 0 else {
                throw TensorError.shapeMismatch(operation: "split into \(parts)", expected: [parts], found: tensor.shape)
            }
            let part = width / parts
            let rows = width == 0 ? 0 : tensor.count / width
            var scalars = [Float]()
            scalars.reserveCapacity(rows * part)
            tensor.withUnsafeBufferPointer { source in
                for row in 0..<rows {
                    let start = row * width + index * part
                    scalars.append(contentsOf: source[start..<(start + part)])
                }
            }
            return try Tensor(shape: Array(tensor.shape.dropLast()) + [part], scalars: scalars)
        }
    }
}

/// A view of a checkpoint under our tensor names: each name maps to one source tensor and a
/// transform, applied when the tensor is read (so transposes happen once, at load time).
public struct MappedTensorStore: TensorStore {
    /// One derived tensor.
    public struct Entry: Sendable, Equatable {
        /// The checkpoint's tensor name.
        public var source: String
        /// How to derive ours from it.
        public var transform: TensorTransform

        /// Creates an entry.
        public init(source: String, transform: TensorTransform = .identity) {
            self.source = source
            self.transform = transform
        }
    }

    /// The underlying checkpoint.
    public let base: any TensorStore
    /// Our name to its derivation.
    public let entries: [String: Entry]

    /// Creates a view; checks that every source tensor exists and that every tensor of `base` is
    /// either used or matched by `ignoring` (heads of other tasks, non-persistent buffers).
    /// - Throws: ``WeightError/missingTensor(name:origin:)`` or ``WeightError/unexpectedTensors(names:origin:)``.
    public init(
        base: any TensorStore, entries: [String: Entry], origin: String, ignoring: (String) -> Bool = { _ in false }
    ) throws {
        for entry in entries.values.sorted(by: { $0.source < $1.source }) where base.shape(of: entry.source) == nil {
            throw WeightError.missingTensor(name: entry.source, origin: origin)
        }
        let used = Set(entries.values.map(\.source))
        let unexpected = base.tensorNames.filter { !used.contains($0) && !ignoring($0) }.sorted()
        if !unexpected.isEmpty { throw WeightError.unexpectedTensors(names: unexpected, origin: origin) }
        self.base = base
        self.entries = entries
    }

    /// Our tensor names, sorted.
    public var tensorNames: [String] { entries.keys.sorted() }

    /// The shape after the transform.
    public func shape(of name: String) -> [Int]? {
        guard let entry = entries[name], let shape = base.shape(of: entry.source) else { return nil }
        return entry.transform.outputShape(from: shape)
    }

    /// The checkpoint's name and ours.
    public func displayName(of name: String) -> String {
        entries[name].map { "\($0.source) -> \(name)" } ?? name
    }

    /// The storage dtype of the source tensor.
    public func storageDType(of name: String) -> String? {
        entries[name].flatMap { base.storageDType(of: $0.source) }
    }

    /// The derived tensor.
    public func tensor(named name: String) throws -> Tensor {
        guard let entry = entries[name] else { throw TensorStoreError.missingTensor(name: name, store: "mapped checkpoint") }
        return try entry.transform.apply(base.tensor(named: entry.source))
    }
}
