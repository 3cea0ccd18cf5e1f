extension Tensor {
    /// Element-wise sum of two tensors of the same shape (a residual connection).
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)``.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        var result = lhs
        try result.add(rhs)
        return result
    }

    /// Adds a tensor of the same shape in place.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)``.
    public mutating func add(_ other: Tensor) throws {
        guard shape == other.shape else {
            throw TensorError.shapeMismatch(operation: "add", expected: shape, found: other.shape)
        }
        other.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                for index in target.indices { target[index] += source[index] }
            }
        }
    }

    /// Adds a vector to every row (the last dimension), as a bias.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` when the bias length
    ///   differs from the last dimension.
    public mutating func addBias(_ bias: Tensor) throws {
        let width = shape.last ?? 0
        guard bias.shape == [width] else {
            throw TensorError.shapeMismatch(operation: "bias add", expected: [width], found: bias.shape)
        }
        bias.withUnsafeBufferPointer { bias in
            withUnsafeMutableBufferPointer { values in
                Kernels.addRowVector(bias, to: values)
            }
        }
    }

    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor {
        var result = lhs
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] *= rhs }
        }
        return result
    }
}

/// Pointer-level kernels shared by the layers; each works in place on row-major buffers.
public enum Kernels {
    /// Adds `vector` to each consecutive row of `values` (whose count is a multiple of the vector's).
    @inline(__always)
    public static func addRowVector(_ vector: UnsafeBufferPointer<Float>, to values: UnsafeMutableBufferPointer<Float>) {
        let width = vector.count
        guard width > 0 else { return }
        var offset = 0
        while offset < values.count {
            for column in 0..<width { values[offset + column] += vector[column] }
            offset += width
        }
    }

    /// Writes `vector` into each consecutive row of `values` (to start a GEMM with `beta = 1` on a bias).
    @inline(__always)
    public static func fillRows(_ values: UnsafeMutableBufferPointer<Float>, with vector: UnsafeBufferPointer<Float>) {
        let width = vector.count
        guard width > 0, let source = vector.baseAddress, let target = values.baseAddress else { return }
        var offset = 0
        while offset < values.count {
            (target + offset).update(from: source, count: width)
            offset += width
        }
    }
}
