import Foundation
import KerasHubTensor

/// Multi-head scaled dot-product self-attention with padding and causal masks and an optional
/// key/value cache.
///
/// Each projection is one GEMM over every token of the batch; attention then runs per
/// (sequence, head) with strided GEMMs that read each head's columns in place, and writes each
/// head's context straight into its columns of the output, so no head is ever copied out.
public struct MultiHeadAttention: Sendable {
    /// The query projection, `[hiddenDim, hiddenDim]`.
    public let query: Dense
    /// The key projection, `[hiddenDim, hiddenDim]`.
    public let key: Dense
    /// The value projection, `[hiddenDim, hiddenDim]`.
    public let value: Dense
    /// The output projection, `[hiddenDim, hiddenDim]`.
    public let output: Dense
    /// The number of heads.
    public let numHeads: Int

    /// The model width.
    public var hiddenDim: Int { query.inputDim }
    /// The width of one head.
    public var headDim: Int { hiddenDim / numHeads }

    /// Loads `query`, `key`, `value` and `attention_output` dense layers from `weights`.
    /// - Throws: ``AttentionError/headsDoNotDivide(hiddenDim:numHeads:)`` when `hiddenDim` is not a
    ///   multiple of `numHeads`, or a ``WeightError``.
    public init(hiddenDim: Int, numHeads: Int, weights: WeightSource) throws {
        guard numHeads > 0, hiddenDim % numHeads == 0 else {
            throw AttentionError.headsDoNotDivide(hiddenDim: hiddenDim, numHeads: numHeads)
        }
        query = try Dense(inputDim: hiddenDim, outputDim: hiddenDim, weights: weights.scope(WeightName.query))
        key = try Dense(inputDim: hiddenDim, outputDim: hiddenDim, weights: weights.scope(WeightName.key))
        value = try Dense(inputDim: hiddenDim, outputDim: hiddenDim, weights: weights.scope(WeightName.value))
        output = try Dense(inputDim: hiddenDim, outputDim: hiddenDim, weights: weights.scope(WeightName.attentionOutput))
        self.numHeads = numHeads
    }

    /// Self-attention over `input` `[batch, length, hiddenDim]`.
    ///
    /// - Parameters:
    ///   - paddingMask: `[batch * keyLength]` row-major, `true` where a key position holds a real token;
    ///     `nil` when every position is real. With a cache, `keyLength` is `cache.length + length`.
    ///   - causal: whether a query may attend only to itself and earlier positions.
    ///   - cache: when given, the new keys and values are appended to it and attention covers every
    ///     cached position; the queries are positions `cache.length ..< cache.length + length`.
    /// - Returns: `[batch, length, hiddenDim]`.
    public func callAsFunction(
        _ input: Tensor, paddingMask: [Bool]? = nil, causal: Bool = false, cache: inout AttentionCache?
    ) throws -> Tensor {
        guard input.rank == 3, input.shape[2] == hiddenDim else {
            throw TensorError.shapeMismatch(
                operation: "attention input", expected: [-1, -1, hiddenDim], found: input.shape)
        }
        let batch = input.shape[0], length = input.shape[1]
        let queries = try query(input), newKeys = try key(input), newValues = try value(input)
        let start = cache?.length ?? 0
        let keyLength = start + length
        if let paddingMask, paddingMask.count != batch * keyLength {
            throw TensorError.shapeMismatch(
                operation: "attention padding mask", expected: [batch, keyLength], found: [paddingMask.count])
        }
        var context = Tensor(shape: [batch, length, hiddenDim])
        if var filled = cache {
            guard filled.batchSize == batch, filled.hiddenDim == hiddenDim, keyLength <= filled.capacity else {
                throw AttentionError.cacheMismatch(
                    expected: [batch, keyLength, hiddenDim], capacity: [filled.batchSize, filled.capacity, filled.hiddenDim])
            }
            cache = nil  // release the caller's reference so the writes below do not copy the buffers
            filled.append(keys: newKeys, values: newValues)
            attend(
                queries: queries, keys: filled.keys, values: filled.values, keyStride: filled.capacity,
                batch: batch, length: length, start: start, paddingMask: paddingMask, causal: causal,
                into: &context)
            cache = filled
        } else {
            attend(
                queries: queries, keys: newKeys, values: newValues, keyStride: length,
                batch: batch, length: length, start: 0, paddingMask: paddingMask, causal: causal,
                into: &context)
        }
        return try output(context)
    }

    /// Self-attention without a cache.
    public func callAsFunction(_ input: Tensor, paddingMask: [Bool]? = nil, causal: Bool = false) throws -> Tensor {
        var noCache: AttentionCache? = nil
        return try self(input, paddingMask: paddingMask, causal: causal, cache: &noCache)
    }

    /// The core: for each sequence and head, `softmax(q kᵀ / sqrt(headDim) + mask) v`.
    /// `keys` and `values` are `[batch, keyStride, hiddenDim]` with the first `start + length` positions valid.
    ///
    /// The (sequence, head) pairs are independent, so when there is enough work they are split over
    /// the cores (``Parallel/workerCount``) with OpenBLAS single-threaded inside, instead of
    /// threading each small GEMM; one token's decoding step stays on the calling thread.
    private func attend(
        queries: Tensor, keys: Tensor, values: Tensor, keyStride: Int,
        batch: Int, length: Int, start: Int, paddingMask: [Bool]?, causal: Bool,
        into context: inout Tensor
    ) {
        let keyLength = start + length
        let headDim = self.headDim, hiddenDim = self.hiddenDim, numHeads = self.numHeads
        let scale = 1 / Float(headDim).squareRoot()
        // Sequences whose keys are all real need no per-position mask.
        let unmasked: [Bool] = (0..<batch).map { sequence in
            guard let paddingMask else { return true }
            return !paddingMask[(sequence * keyLength)..<((sequence + 1) * keyLength)].contains(false)
        }
        let mask = paddingMask ?? []
        let items = batch * numHeads
        let workers = min(Parallel.workerCount, items)
        let parallel = workers > 1 && length * keyLength * headDim * numHeads >= 1 << 18
        // Inside the (sequence, head)-parallel loop every GEMM is single-threaded.
        func attentionGemm(
            transposeB: MatrixTranspose = .none, m: Int, n: Int, k: Int, alpha: Float = 1,
            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
            c: UnsafeMutablePointer<Float>, ldc: Int
        ) {
            if parallel {
                BLAS.serialGemm(transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
            } else {
                BLAS.gemm(transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
            }
        }
        queries.withUnsafeBufferPointer { q in
            keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    context.withUnsafeMutableBufferPointer { out in
                        mask.withUnsafeBufferPointer { maskBuffer in
                            guard let qBase = q.baseAddress, let kBase = k.baseAddress, let vBase = v.baseAddress,
                                  let outBase = out.baseAddress else { return }
                            let shared = UncheckedSendable((qBase, kBase, vBase, outBase, maskBuffer.baseAddress))
                            let run: (Range<Int>) -> Void = { range in
                                let (qBase, kBase, vBase, outBase, maskBase) = shared.value
                                let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, length * keyLength))
                                defer { scores.deallocate() }
                                for item in range {
                                    let sequence = item / numHeads, head = item % numHeads
                                    let column = head * headDim
                                    let qHead = qBase + sequence * length * hiddenDim + column
                                    let kHead = kBase + sequence * keyStride * hiddenDim + column
                                    let vHead = vBase + sequence * keyStride * hiddenDim + column
                                    attentionGemm(
                                        transposeB: .transposed, m: length, n: keyLength, k: headDim, alpha: scale,
                                        a: qHead, lda: hiddenDim, b: kHead, ldb: hiddenDim, c: scores, ldc: keyLength)
                                    let maskRow = maskBase.map { $0 + sequence * keyLength }
                                    for row in 0..<length {
                                        let scoreRow = scores + row * keyLength
                                        let visible = causal ? min(start + row + 1, keyLength) : keyLength
                                        if !unmasked[sequence], let maskRow {
                                            for position in 0..<visible where !maskRow[position] {
                                                scoreRow[position] = -.infinity
                                            }
                                        }
                                        Kernels.softmax(scoreRow, count: visible)
                                        if visible < keyLength {
                                            (scoreRow + visible).update(repeating: 0, count: keyLength - visible)
                                        }
                                    }
                                    attentionGemm(
                                        m: length, n: headDim, k: keyLength,
                                        a: scores, lda: keyLength, b: vHead, ldb: hiddenDim,
                                        c: outBase + sequence * length * hiddenDim + column, ldc: hiddenDim)
                                }
                            }
                            if parallel {
                                BLAS.withSingleThreadedOpenBLAS { Parallel.forEachRange(items, workers: workers, run) }
                            } else {
                                run(0..<items)
                            }
                        }
                    }
                }
            }
        }
    }

}

extension AttentionCache {
    /// Writes `keys` and `values` `[batch, newLength, hiddenDim]` at positions `length ..< length + newLength`.
    mutating func append(keys newKeys: Tensor, values newValues: Tensor) {
        let batch = batchSize, width = hiddenDim, newLength = newKeys.shape[1], capacity = self.capacity
        let start = length
        func copy(_ source: Tensor, into target: inout Tensor) {
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    guard let fromBase = from.baseAddress, let toBase = to.baseAddress else { return }
                    for sequence in 0..<batch {
                        (toBase + (sequence * capacity + start) * width)
                            .update(from: fromBase + sequence * newLength * width, count: newLength * width)
                    }
                }
            }
        }
        copy(newKeys, into: &keys)
        copy(newValues, into: &values)
        length += newLength
    }
}

/// Errors of attention layers.
public enum AttentionError: Error, Equatable, CustomStringConvertible {
    /// The model width is not a multiple of the number of heads.
    case headsDoNotDivide(hiddenDim: Int, numHeads: Int)
    /// A key/value cache does not fit the input: `expected` is `[batch, positions needed, hiddenDim]`.
    case cacheMismatch(expected: [Int], capacity: [Int])

    /// A message naming the sizes.
    public var description: String {
        switch self {
        case .headsDoNotDivide(let hiddenDim, let numHeads):
            return "hidden size \(hiddenDim) is not a multiple of the number of heads \(numHeads)"
        case .cacheMismatch(let expected, let capacity):
            return "attention cache of [batch, capacity, hidden] \(capacity) cannot hold \(expected)"
        }
    }
}
