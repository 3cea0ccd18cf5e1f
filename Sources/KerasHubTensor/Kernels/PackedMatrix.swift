import CKernels

/// A weight matrix `[inputDim, outputDim]` packed once, when a model loads, into the panel layout
/// of the AVX-512 GEMM kernels (blocks of 256 rows of 32-column panels, 64-byte aligned).
///
/// A dense layer over a packed matrix is a single pass: the kernels read the weights without
/// repacking them on every call, seed their accumulators with the bias and apply the activation
/// before the only store. One row (a decoding step) is a GEMV that streams the packed weights
/// sequentially. Packed matrices exist only where ``BLAS/avx512GemmAvailable``; elsewhere layers
/// keep the plain ``Tensor`` and OpenBLAS.
///
/// Immutable after creation, so one instance is safely shared by many threads.
public final class PackedMatrix: @unchecked Sendable {
    /// The number of rows (the input dimension of the layer).
    public let rows: Int
    /// The number of columns (the output dimension of the layer).
    public let columns: Int
    private let storage: UnsafeMutablePointer<Float>

    /// Packs `matrix` `[rows, columns]`.
    /// - Precondition: `matrix` is rank 2 and ``BLAS/avx512GemmAvailable`` (callers check both).
    public init(packing matrix: Tensor) {
        precondition(matrix.rank == 2, "PackedMatrix packs rank-2 tensors, got \(matrix.shape)")
        rows = matrix.shape[0]
        columns = matrix.shape[1]
        let count = max(1, khk_packed_size(Int32(rows), Int32(columns)))
        storage = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
        matrix.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            khk_pack_b(0, Int32(rows), Int32(columns), base, Int32(columns), storage)
        }
    }

    deinit { storage.deallocate() }

    /// The matrix as a plain `[rows, columns]` tensor (a copy; for saving and inspection).
    public func unpacked() -> Tensor {
        var result = Tensor(shape: [rows, columns])
        result.withUnsafeMutableBufferPointer { target in
            guard let base = target.baseAddress else { return }
            khk_unpack_b(Int32(rows), Int32(columns), storage, base)
        }
        return result
    }

    /// `output[i, :] = activation(input[i, :] · self + bias)` for `rowCount` rows; `input` is
    /// `rowCount x rows` and `output` `rowCount x columns`, both contiguous.
    ///
    /// Work is split over ``Parallel/workerCount`` workers: into equal row blocks (a multiple of
    /// the worker count, at most about 240 rows each) when there are enough rows, else into
    /// column ranges of whole 32-column panels (one row, a decoding step, is always split by columns).
    public func multiply(
        _ input: UnsafePointer<Float>, rowCount: Int, bias: UnsafePointer<Float>?, activation: FusedActivation,
        into output: UnsafeMutablePointer<Float>
    ) {
        guard rowCount > 0, columns > 0 else { return }
        let workers = Parallel.workerCount
        let panels = (columns + 31) / 32, rowPanels = (rowCount + 11) / 12
        let parallel = workers > 1 && rowCount * rows * columns >= 1 << 17
        // Enough rows for a block of at most 240 per worker: split rows into a multiple of the
        // worker count of equal blocks (whole 12-row panels), so no worker idles at the end.
        // Fewer rows: split the columns instead, so every packed panel serves all the rows.
        let neededRowBlocks = (rowCount + 239) / 240
        let rowBlocks = parallel && neededRowBlocks >= workers ? (neededRowBlocks + workers - 1) / workers * workers : 1
        let columnBlocks = parallel && neededRowBlocks < workers ? min(panels, 2 * workers) : 1
        let tasks = rowBlocks * columnBlocks
        let (k, n, code) = (Int32(rows), Int32(columns), activation.rawValue)
        let shared = UncheckedSendable((input, bias, output, storage))
        let run: (Int) -> Void = { task in
            let (input, bias, output, storage) = shared.value
            let columnBlock = task % columnBlocks, rowBlock = task / columnBlocks
            let begin = Int32(32 * (panels * columnBlock / columnBlocks))
            let end = Int32(min(Int(n), 32 * (panels * (columnBlock + 1) / columnBlocks)))
            if rowCount == 1 {
                khk_sgemv_packed(n, k, input, storage, begin, end, bias, 0, code, output)
            } else {
                let lower = 12 * (rowPanels * rowBlock / rowBlocks)
                let upper = min(rowCount, 12 * (rowPanels * (rowBlock + 1) / rowBlocks))
                khk_sgemm_packed(
                    Int32(upper - lower), n, k, input + lower * Int(k), k, storage, begin, end, bias, 0, code,
                    output + lower * Int(n), n)
            }
        }
        if tasks == 1 {
            run(0)
        } else {
            Parallel.run(tasks, run)
        }
    }

    /// The number of bytes the packed matrix holds.
    public var byteCount: Int { max(1, khk_packed_size(Int32(rows), Int32(columns))) * MemoryLayout<Float>.stride }
}

/// The activations the packed kernels apply in their store (see ``Activation/fused``).
public enum FusedActivation: Int32, Sendable {
    /// No activation.
    case none = 0
    /// Exact GELU.
    case gelu = 1
    /// Tanh-approximated GELU.
    case geluApproximate = 2
    /// `max(0, x)`.
    case relu = 3
}

extension Activation {
    /// The fused form of this activation, or `nil` when the kernels cannot apply it in their
    /// store (it is then applied as a separate pass).
    public var fused: FusedActivation? {
        switch self {
        case .linear: return FusedActivation.none
        case .gelu: return .gelu
        case .geluApproximate: return .geluApproximate
        case .relu: return .relu
        case .tanh: return nil
        }
    }
}
