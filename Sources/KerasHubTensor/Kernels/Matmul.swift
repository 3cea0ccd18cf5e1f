extension Tensor {
    /// Matrix product of the last two dimensions: `[..., m, k] x [k, n] -> [..., m, n]`.
    ///
    /// The leading dimensions of `self` are flattened into rows, so one GEMM covers a whole batch.
    /// With `transposeOther`, `other` is stored `[n, k]` (a PyTorch `Linear` weight) and read transposed.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` when the inner dimensions differ.
    public func matmul(_ other: Tensor, transposeOther: Bool = false) throws -> Tensor {
        guard rank >= 1, other.rank == 2 else {
            throw TensorError.shapeMismatch(operation: "matmul", expected: [-1, -1], found: other.shape)
        }
        let inner = shape[rank - 1]
        let otherInner = transposeOther ? other.shape[1] : other.shape[0]
        let columns = transposeOther ? other.shape[0] : other.shape[1]
        guard inner == otherInner else {
            throw TensorError.shapeMismatch(
                operation: "matmul inner dimension", expected: [inner], found: [otherInner])
        }
        let rows = inner == 0 ? 0 : count / inner
        var result = Tensor(shape: Array(shape.dropLast()) + [columns])
        if rows == 0 || columns == 0 { return result }
        withUnsafeBufferPointer { lhs in
            other.withUnsafeBufferPointer { rhs in
                result.withUnsafeMutableBufferPointer { out in
                    if rows == 1 {
                        // One row: a GEMV over the stored matrix (the LM head of a decoding step).
                        BLAS.parallelGemv(
                            transposeA: transposeOther ? .none : .transposed,
                            rows: other.shape[0], columns: other.shape[1],
                            a: rhs.baseAddress!, lda: other.shape[1], x: lhs.baseAddress!, y: out.baseAddress!)
                    } else {
                        BLAS.gemm(
                            transposeB: transposeOther ? .transposed : .none,
                            m: rows, n: columns, k: inner,
                            a: lhs.baseAddress!, lda: inner,
                            b: rhs.baseAddress!, ldb: other.shape[1],
                            c: out.baseAddress!, ldc: columns)
                    }
                }
            }
        }
        return result
    }

    /// The transpose of a rank-2 tensor.
    public func transposed() throws -> Tensor {
        guard rank == 2 else {
            throw TensorError.shapeMismatch(operation: "transpose (rank 2 only)", expected: [-1, -1], found: shape)
        }
        let rows = shape[0], columns = shape[1]
        var result = Tensor(shape: [columns, rows])
        withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for row in 0..<rows {
                    for column in 0..<columns {
                        target[column * rows + row] = source[row * columns + column]
                    }
                }
            }
        }
        return result
    }
}
