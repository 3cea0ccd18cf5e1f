import KerasHubLayers
import KerasHubTensor

/// How a tensor of our layout is derived from one checkpoint tensor.
public enum TensorTransform: Sendable, Equatable {
    /// Taken as stored.
    case identity
    /// A rank-2 tensor transposed (PyTorch `Linear` `[out, in]` to Keras `[in, out]`).
    case transpose
    /// Part `index` of `parts` equal slices of the last dimension (GPT-2's fused `c_attn` into q, k, v).
    case splitLastAxis(index: Int, parts: Int)
    /// A rank-2 table without its first `count` rows (RoBERTa's two reserved position rows).
    case dropLeadingRows(Int)
    /// The same values, row-major, in another shape of the same count (Keras's per-head attention
    /// kernels `[hidden, heads, head_dim]` as our `[hidden, hidden]`).
    case reshape([Int])

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
        case .dropLeadingRows(let count):
            guard shape.count == 2, count >= 0, shape[0] >= count else { return nil }
            return [shape[0] - count, shape[1]]
        case .reshape(let target):
            return target.reduce(1, *) == shape.reduce(1, *) ? target : nil
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
        case .dropLeadingRows(let count):
            guard let shape = outputShape(from: tensor.shape) else {
                throw TensorError.shapeMismatch(operation: "drop \(count) rows", expected: [count, -1], found: tensor.shape)
            }
            let scalars = tensor.withUnsafeBufferPointer { Array($0[(count * shape[1])...]) }
            return try Tensor(shape: shape, scalars: scalars)
        case .reshape(let target):
            return try tensor.reshaped(target)
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
        /// A row of another checkpoint tensor added to every row of the result (RoBERTa's single
        /// token-type embedding, folded into the position table as KerasHub's converter does).
        public var addedRow: AddedRow?

        /// Creates an entry.
        public init(source: String, transform: TensorTransform = .identity, addedRow: AddedRow? = nil) {
            self.source = source
            self.transform = transform
            self.addedRow = addedRow
        }
    }

    /// Row `row` of the rank-2 checkpoint tensor `source`.
    public struct AddedRow: Sendable, Equatable {
        /// The checkpoint's tensor name.
        public var source: String
        /// The row index.
        public var row: Int

        /// Creates a row reference.
        public init(source: String, row: Int) {
            self.source = source
            self.row = row
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
        for entry in entries.values.sorted(by: { $0.source < $1.source }) {
            guard let shape = base.shape(of: entry.source) else { throw WeightError.missingTensor(name: entry.source, origin: origin) }
            guard let added = entry.addedRow else { continue }
            guard let rowShape = base.shape(of: added.source) else { throw WeightError.missingTensor(name: added.source, origin: origin) }
            guard rowShape.count == 2, added.row >= 0, added.row < rowShape[0], rowShape[1] == shape.last else {
                throw WeightError.shapeMismatch(
                    name: added.source, expected: [added.row + 1, shape.last ?? 0], found: rowShape, origin: origin)
            }
        }
        let used = Set(entries.values.flatMap { [$0.source] + ($0.addedRow.map { [$0.source] } ?? []) })
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
        var tensor = try entry.transform.apply(base.tensor(named: entry.source))
        if let added = entry.addedRow {
            let table = try base.tensor(named: added.source)
            let width = table.shape.last ?? 0
            guard table.rank == 2, added.row < table.shape[0], tensor.shape.last == width else {
                throw TensorError.shapeMismatch(operation: "add row of \(added.source)", expected: [width], found: tensor.shape)
            }
            table.withUnsafeBufferPointer { values in
                let row = UnsafeBufferPointer(rebasing: values[(added.row * width)..<((added.row + 1) * width)])
                tensor.withUnsafeMutableBufferPointer { Kernels.addRowVector(row, to: $0) }
            }
        }
        return tensor
    }
}
