import KerasHubTensor

/// The keys and values one attention layer has seen so far, for incremental (one token at a time)
/// decoding: `[batch, capacity, hiddenDim]` each, with the first `length` positions filled.
public struct AttentionCache: Sendable {
    /// Cached keys, `[batch, capacity, hiddenDim]`.
    public internal(set) var keys: Tensor
    /// Cached values, `[batch, capacity, hiddenDim]`.
    public internal(set) var values: Tensor
    /// How many positions are filled.
    public internal(set) var length: Int

    /// An empty cache for `batchSize` sequences of up to `capacity` positions.
    public init(batchSize: Int, capacity: Int, hiddenDim: Int) {
        keys = Tensor(shape: [batchSize, capacity, hiddenDim])
        values = Tensor(shape: [batchSize, capacity, hiddenDim])
        length = 0
    }

    /// The number of sequences.
    public var batchSize: Int { keys.shape[0] }
    /// The most positions the cache can hold.
    public var capacity: Int { keys.shape[1] }
    /// The width of each key and value vector.
    public var hiddenDim: Int { keys.shape[2] }
}

extension AttentionCache {
    /// The cache of the sequences at `indices` (repeats allowed), in that order: a cache of
    /// `indices.count` sequences with the same capacity and length. Beam search uses it to follow
    /// the beams it keeps; only the filled positions are copied.
    /// - Precondition: every index is in `0..<batchSize`.
    public func gatheringSequences(_ indices: [Int]) -> AttentionCache {
        var gathered = AttentionCache(batchSize: indices.count, capacity: capacity, hiddenDim: hiddenDim)
        let rowSize = capacity * hiddenDim, filled = length * hiddenDim
        func copy(_ source: Tensor, into target: inout Tensor) {
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    guard let fromBase = from.baseAddress, let toBase = to.baseAddress else { return }
                    for (row, index) in indices.enumerated() {
                        (toBase + row * rowSize).update(from: fromBase + index * rowSize, count: filled)
                    }
                }
            }
        }
        copy(keys, into: &gathered.keys)
        copy(values, into: &gathered.values)
        gathered.length = length
        return gathered
    }
}
