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
