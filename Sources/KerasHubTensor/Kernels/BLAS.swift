import CKernels
import COpenBLAS
import Foundation
import Synchronization

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
    /// `[tokens, hidden]` projection) is used in place, without a copy. A large product is split
    /// over the workers (by rows of `C`, or by columns when it has few rows), each part one
    /// single-threaded OpenBLAS call: OpenBLAS's own threads are never used (see ``threadCount``).
    public static func gemm(
        transposeA: MatrixTranspose = .none, transposeB: MatrixTranspose = .none,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let workers = Parallel.workerCount
        guard workers > 1, m * n * k >= 1 << 18 else {
            serialOpenBLASGemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
                ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let pointers = UncheckedSendable((a, b, c))
        let byRows = m >= minimumRowsPerBlock * workers
        let blocks = byRows ? min(2 * workers, m / minimumRowsPerBlock) : min(2 * workers, max(1, n / 32))
        Parallel.run(blocks) { index in
            let (a, b, c) = pointers.value
            if byRows {
                let lower = m * index / blocks, upper = m * (index + 1) / blocks
                serialOpenBLASGemm(
                    transposeA: transposeA, transposeB: transposeB, m: upper - lower, n: n, k: k, alpha: alpha,
                    a: transposeA == .none ? a + lower * lda : a + lower, lda: lda, b: b, ldb: ldb, beta: beta,
                    c: c + lower * ldc, ldc: ldc)
            } else {
                let lower = n * index / blocks, upper = n * (index + 1) / blocks
                serialOpenBLASGemm(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: upper - lower, k: k, alpha: alpha, a: a,
                    lda: lda, b: transposeB == .none ? b + lower : b + lower * ldb, ldb: ldb, beta: beta, c: c + lower,
                    ldc: ldc)
            }
        }
    }

    /// One OpenBLAS GEMM on the calling thread.
    @inline(__always)
    static func serialOpenBLASGemm(
        transposeA: MatrixTranspose = .none, transposeB: MatrixTranspose = .none,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = openBLASIsSingleThreaded
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
        _ = openBLASIsSingleThreaded
        cblas_sgemv(
            CblasRowMajor, transposeA.cblas, Int32(rows), Int32(columns), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// ``gemv(transposeA:rows:columns:alpha:a:lda:x:beta:y:)`` with the outputs split into blocks
    /// that the workers take in turn, OpenBLAS single-threaded inside (as ``rowParallelGemm``); an
    /// untransposed product with `beta = 0` (the tied LM head) runs the AVX-512 row kernel when
    /// ``avx512GemmAvailable``.
    public static func parallelGemv(
        transposeA: MatrixTranspose = .none, rows: Int, columns: Int,
        a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        let workers = Parallel.workerCount
        let outputs = transposeA == .none ? rows : columns
        let blocks = min(4 * workers, outputs / 64)
        guard workers > 1, blocks > 1, rows * columns >= 1 << 16 else {
            gemv(transposeA: transposeA, rows: rows, columns: columns, a: a, lda: lda, x: x, beta: beta, y: y)
            return
        }
        let pointers = UncheckedSendable((a, x, y))
        do {
            Parallel.run(blocks) { index in
                let (a, x, y) = pointers.value
                let lower = outputs * index / blocks, upper = outputs * (index + 1) / blocks
                if transposeA == .none, beta == 0, avx512GemmAvailable {
                    khk_sgemv_rows_avx512(Int32(upper - lower), Int32(columns), a + lower * lda, lda, x, y + lower)
                } else if transposeA == .none {
                    gemv(rows: upper - lower, columns: columns, a: a + lower * lda, lda: lda, x: x, beta: beta, y: y + lower)
                } else {
                    gemv(transposeA: .transposed, rows: rows, columns: upper - lower, a: a + lower, lda: lda, x: x,
                         beta: beta, y: y + lower)
                }
            }
        }
    }

    /// A single-threaded GEMM for work that is already spread over the workers (attention heads):
    /// the AVX-512 kernels when ``avx512GemmAvailable``, else OpenBLAS. `beta` is 0 or 1.
    @inline(__always)
    public static func serialGemm(
        transposeB: MatrixTranspose = .none, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if avx512GemmAvailable {
            khk_sgemm_avx512_ex(
                transposeB == .transposed ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                beta, c, Int32(ldc))
        } else {
            serialOpenBLASGemm(transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                               beta: beta, c: c, ldc: ldc)
        }
    }

    /// The number of workers the kernels use (``Parallel/workerCount``): `OPENBLAS_NUM_THREADS` at
    /// start-up (OpenBLAS reads it), else all cores.
    ///
    /// OpenBLAS itself always runs single-threaded, on the calling thread: its thread count is a
    /// process-wide setting, and OpenBLAS's threaded GEMM called from two threads at once (two
    /// requests served concurrently) gave wrong numbers. The kernels spread each product over their
    /// own workers instead.
    public static var threadCount: Int {
        get {
            let configured = configuredThreads.load(ordering: .relaxed)
            return configured > 0 ? configured : initialThreads
        }
        set { configuredThreads.store(max(1, newValue), ordering: .relaxed) }
    }

    private static let initialThreads = max(1, Int(openblas_get_num_threads()))
    private static let configuredThreads = Atomic<Int>(0)

    /// Pins OpenBLAS to one thread, once, before its first use (after ``threadCount`` has read its
    /// start-up setting).
    static let openBLASIsSingleThreaded: Bool = {
        _ = initialThreads
        openblas_set_num_threads(1)
        return true
    }()

    /// Runs `body`. OpenBLAS is always single-threaded now (see ``threadCount``); kept for callers
    /// that spread work over the workers themselves.
    @inline(__always)
    public static func withSingleThreadedOpenBLAS(_ body: () -> Void) {
        body()
    }
}

extension BLAS {
    /// Rows per block below which ``rowParallelGemm(m:n:k:a:lda:b:ldb:beta:c:ldc:)`` does not split.
    static let minimumRowsPerBlock = 64

    /// Experiment hook: `KERAS_HUB_GEMM_BLOCKS` fixes the number of row blocks (0 = OpenBLAS threading).
    static let blocksOverride: Int? = {
        guard let text = getenv("KERAS_HUB_GEMM_BLOCKS") else { return nil }
        return Int(String(cString: text))
    }()

    /// Whether the AVX-512 GEMM kernels run here (the CPU has AVX-512F and `KERAS_HUB_NO_AVX512`
    /// is unset). OpenBLAS may be limited to older kernels (`OPENBLAS_CORETYPE`), and on CPUs with
    /// full-width AVX-512 units that halves the GEMM rate.
    public static let avx512GemmAvailable: Bool =
        khk_avx512_available() != 0 && getenv("KERAS_HUB_NO_AVX512") == nil

    /// `C = A · B + beta C` (row-major, B as stored, `beta` 0 or 1) with the rows of `C` split into
    /// blocks that the workers take in turn; each block is one single-threaded GEMM (the AVX-512
    /// kernels when ``avx512GemmAvailable``, else OpenBLAS).
    ///
    /// OpenBLAS's own threading synchronises its threads many times inside one GEMM; on a busy
    /// machine a descheduled thread stalls the other at every barrier. Row blocks handed out
    /// dynamically need one join per GEMM, and a worker that is slowed down simply takes fewer blocks.
    public static func rowParallelGemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(beta == 0 || beta == 1, "rowParallelGemm takes beta 0 or 1")
        let workers = Parallel.workerCount
        let avx512 = avx512GemmAvailable
        let blocks: Int
        if let blocksOverride {
            blocks = min(blocksOverride, m)
        } else if avx512 {
            // At most 256 rows a block (A's block stays in L2), at least 32 (B is re-read per block).
            blocks = workers > 1 ? max((m + 255) / 256, min(2 * workers, m / 32)) : 1
        } else {
            blocks = min(2 * workers, m / minimumRowsPerBlock)
        }
        if avx512, blocksOverride == nil, workers > 1, m < 512 * workers, n >= 64 * workers, m * n * k >= 1 << 20 {
            // Fewer rows than a block per worker: split the columns instead, so each worker packs
            // only its own part of B and every packed element serves all m rows.
            let columnPointers = UncheckedSendable((a, b, c))
            let panels = (n + 31) / 32, columnBlocks = min(2 * workers, panels)
            Parallel.run(columnBlocks) { index in
                let (a, b, c) = columnPointers.value
                let lower = 32 * (panels * index / columnBlocks), upper = min(n, 32 * (panels * (index + 1) / columnBlocks))
                khk_sgemm_avx512(
                    Int32(m), Int32(upper - lower), Int32(k), a, Int32(lda), b + lower, Int32(ldb),
                    beta, c + lower, Int32(ldc))
            }
            return
        }
        guard workers > 1, blocks > 1 else {
            if avx512 {
                khk_sgemm_avx512(Int32(m), Int32(n), Int32(k), a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
            } else {
                gemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            }
            return
        }
        let pointers = UncheckedSendable((a, b, c))
        let run = {
            Parallel.run(blocks) { index in
                let (a, b, c) = pointers.value
                let lower = m * index / blocks, upper = m * (index + 1) / blocks
                if avx512 {
                    khk_sgemm_avx512(
                        Int32(upper - lower), Int32(n), Int32(k), a + lower * lda, Int32(lda), b, Int32(ldb),
                        beta, c + lower * ldc, Int32(ldc))
                } else {
                    serialOpenBLASGemm(m: upper - lower, n: n, k: k, a: a + lower * lda, lda: lda, b: b, ldb: ldb,
                                       beta: beta, c: c + lower * ldc, ldc: ldc)
                }
            }
        }
        run()
    }
}
