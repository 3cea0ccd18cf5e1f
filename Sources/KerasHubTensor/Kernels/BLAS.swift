import COpenBLAS

/// Whether a matrix operand of ``BLAS/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
/// is read as stored or transposed.
public enum MatrixTranspose: Sendable {
    /// Read the matrix as stored (row-major).
    case none
    /// Read the transpose of the stored matrix.
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Thin, typed access to the OpenBLAS routines the kernels use.
public enum BLAS {
    /// Row-major single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`.
    ///
    /// `op(A)` is `m x k`, `op(B)` is `k x n`, `C` is `m x n`; the leading dimensions are the row
    /// strides of the stored matrices, so a sub-matrix of a wider one (one attention head inside a
    /// `[tokens, hidden]` projection) is used in place, without a copy.
    @inline(__always)
    public static func gemm(
        transposeA: MatrixTranspose = .none, transposeB: MatrixTranspose = .none,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA.cblas, transposeB.cblas,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Row-major single-precision matrix-vector product: `y = alpha * op(A) * x + beta * y`, with
    /// `A` stored `rows x columns` (row stride `lda`). One row through a layer is a GEMV: OpenBLAS's
    /// GEMM would pack the whole weight matrix first, doubling the memory traffic of a decoding step.
    @inline(__always)
    public static func gemv(
        transposeA: MatrixTranspose = .none, rows: Int, columns: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(
            CblasRowMajor, transposeA.cblas, Int32(rows), Int32(columns), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// The number of threads OpenBLAS uses (it honours `OPENBLAS_NUM_THREADS` at start-up).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}
