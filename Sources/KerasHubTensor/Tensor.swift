/// A dense, row-major float32 tensor with value semantics.
///
/// Storage is a buffer shared by copies until one side writes (copy-on-write), so copies are cheap
/// and a tensor is `Sendable`: a loaded model can be shared by many threads. Kernel outputs live in
/// 64-byte aligned buffers and reuse those of released tensors (``TensorBufferCache``). Half-precision
/// checkpoints are widened to float32 when they are read (see ``DType``).
public struct Tensor: Sendable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    private var storage: TensorStorage

    /// The elements in row-major order (a copy); `scalars.count == shape.reduce(1, *)`.
    /// Read many elements through ``withUnsafeBufferPointer(_:)``, write through
    /// ``withUnsafeMutableBufferPointer(_:)`` or the subscript.
    public var scalars: [Float] { Array(storage.buffer) }

    /// Creates a tensor from its shape and row-major elements.
    /// - Throws: ``TensorError/elementCountMismatch(shape:count:)`` when the counts disagree,
    ///   ``TensorError/invalidShape(_:)`` for a negative dimension.
    public init(shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(shape) }
        guard shape.reduce(1, *) == scalars.count else {
            throw TensorError.elementCountMismatch(shape: shape, count: scalars.count)
        }
        self.shape = shape
        self.storage = TensorStorage(copying: scalars, recyclable: false)
    }

    /// Creates a tensor of the given shape with every element set to `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.storage = TensorStorage(uninitializedCount: shape.reduce(1, *), recyclable: true)
        storage.buffer.initialize(repeating: value)
    }

    /// Creates a tensor of the given shape whose elements `initializer` writes, every one of them,
    /// into uninitialized storage: for kernels that overwrite their whole output (a GEMM), which
    /// would otherwise pay for zeroing it first.
    /// - Precondition: no negative dimension; `initializer` writes every element.
    public init(shape: [Int], overwritingAll initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        try self.init(uncheckedShape: shape, recyclable: true, overwritingAll: initializer)
    }

    /// As ``init(shape:overwritingAll:)``, choosing whether the buffer may be recycled: not for
    /// loaded weights, which live as long as their model.
    init(
        uncheckedShape shape: [Int], recyclable: Bool, overwritingAll initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void
    ) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.storage = TensorStorage(uninitializedCount: shape.reduce(1, *), recyclable: recyclable)
        try initializer(storage.buffer)
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The total number of elements.
    public var count: Int { storage.count }

    /// The same elements viewed with another shape of equal element count.
    /// - Throws: ``TensorError/elementCountMismatch(shape:count:)``.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(newShape) }
        guard newShape.reduce(1, *) == count else {
            throw TensorError.elementCountMismatch(shape: newShape, count: count)
        }
        var result = self
        result.shape = newShape
        return result
    }

    /// The element at a multi-dimensional index (slow; for tests and small reads).
    public subscript(_ index: Int...) -> Float {
        get { withUnsafeBufferPointer { $0[flatIndex(index)] } }
        set {
            let flat = flatIndex(index)
            withUnsafeMutableBufferPointer { $0[flat] = newValue }
        }
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
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(storage.buffer)) }
    }

    /// Calls `body` with a mutable pointer to the elements (copying first if the storage is shared).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let storage = self.storage
        return try withExtendedLifetime(storage) {
            var buffer = storage.buffer
            let result = try body(&buffer)
            precondition(buffer.baseAddress == storage.base && buffer.count == storage.count,
                         "withUnsafeMutableBufferPointer: the buffer must not be replaced")
            return result
        }
    }
}

extension Tensor: Equatable {
    /// Tensors are equal when their shapes and all their elements are (`==` on each float), or
    /// when they share their storage (as arrays do).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        return lhs.withUnsafeBufferPointer { left in rhs.withUnsafeBufferPointer { right in left.elementsEqual(right) } }
    }
}

extension Tensor: CustomStringConvertible {
    /// A short summary: the shape and the first few elements.
    public var description: String {
        let head = withUnsafeBufferPointer { $0.prefix(6).map { String($0) } }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 6 ? ", ..." : "")])"
    }
}
