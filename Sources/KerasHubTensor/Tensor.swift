/// A dense, row-major float32 tensor with value semantics.
///
/// Storage is a Swift array, so copies are cheap until one side writes (copy-on-write), and a
/// tensor is `Sendable`: a loaded model can be shared by many threads. Half-precision checkpoints
/// are widened to float32 when they are read (see ``DType``).
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    /// Write through ``withUnsafeMutableBufferPointer(_:)`` or the subscript, which keep the count.
    public internal(set) var scalars: [Float]

    /// Creates a tensor from its shape and row-major elements.
    /// - Throws: ``TensorError/elementCountMismatch(shape:count:)`` when the counts disagree,
    ///   ``TensorError/invalidShape(_:)`` for a negative dimension.
    public init(shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(shape) }
        guard shape.reduce(1, *) == scalars.count else {
            throw TensorError.elementCountMismatch(shape: shape, count: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element set to `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Creates a tensor of the given shape whose elements `initializer` writes, every one of them,
    /// into uninitialized storage: for kernels that overwrite their whole output (a GEMM), which
    /// would otherwise pay for zeroing it first.
    /// - Precondition: no negative dimension; `initializer` writes every element.
    public init(shape: [Int], overwritingAll initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let count = shape.reduce(1, *)
        self.shape = shape
        self.scalars = try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            try initializer(buffer)
            initialized = count
        }
    }

    /// Creates a tensor without checking the element count; for kernels that build their output.
    init(uncheckedShape shape: [Int], scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The total number of elements.
    public var count: Int { scalars.count }

    /// The same elements viewed with another shape of equal element count.
    /// - Throws: ``TensorError/elementCountMismatch(shape:count:)``.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        try Tensor(shape: newShape, scalars: scalars)
    }

    /// The element at a multi-dimensional index (slow; for tests and small reads).
    public subscript(_ index: Int...) -> Float {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var flat = 0
        for (position, dimension) in zip(index, shape) {
            precondition(position >= 0 && position < dimension, "index \(index) out of bounds for shape \(shape)")
            flat = flat * dimension + position
        }
        return flat
    }

    /// Calls `body` with a pointer to the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the elements (copying first if the storage is shared).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }
}

extension Tensor: CustomStringConvertible {
    /// A short summary: the shape and the first few elements.
    public var description: String {
        let head = scalars.prefix(6).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(scalars.count > 6 ? ", ..." : "")])"
    }
}
