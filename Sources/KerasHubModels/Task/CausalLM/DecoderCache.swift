import Foundation
import KerasHubLayers

/// The state of incremental decoding for a decoder-only backbone: one key/value cache per block
/// and the padding mask of every position seen so far.
public struct DecoderCache: Sendable {
    /// One cache per transformer block.
    public internal(set) var layers: [AttentionCache]
    /// `[batchSize * capacity]`, `true` on real tokens among the first ``length`` positions.
    public internal(set) var paddingMask: [Bool]
    /// How many positions are filled.
    public internal(set) var length: Int

    /// An empty cache for `numLayers` blocks.
    public init(numLayers: Int, batchSize: Int, capacity: Int, hiddenDim: Int) {
        layers = Array(repeating: AttentionCache(batchSize: batchSize, capacity: capacity, hiddenDim: hiddenDim), count: numLayers)
        paddingMask = Array(repeating: false, count: batchSize * capacity)
        length = 0
    }

    /// The bytes of a cache of these sizes (keys and values, float32), or `nil` when the product
    /// overflows `Int`.
    public static func estimatedBytes(numLayers: Int, batchSize: Int, capacity: Int, hiddenDim: Int) -> Int? {
        var total = 8  // two float32 tensors per layer
        for factor in [numLayers, batchSize, capacity, hiddenDim] {
            guard factor >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// A cache for `numLayers` blocks, refused when it would not fit in the machine's memory.
    /// - Throws: ``GenerationError/cacheTooLarge(bytes:available:)``.
    public static func checked(numLayers: Int, batchSize: Int, capacity: Int, hiddenDim: Int) throws -> DecoderCache {
        let available = ProcessInfo.processInfo.physicalMemory
        let bytes = estimatedBytes(numLayers: numLayers, batchSize: batchSize, capacity: capacity, hiddenDim: hiddenDim)
        guard let bytes, UInt64(bytes) <= available else {
            throw GenerationError.cacheTooLarge(bytes: bytes, available: Int(clamping: available))
        }
        return DecoderCache(numLayers: numLayers, batchSize: batchSize, capacity: capacity, hiddenDim: hiddenDim)
    }

    /// The number of sequences.
    public var batchSize: Int { layers.first?.batchSize ?? paddingMask.count }
    /// The most positions the cache can hold.
    public var capacity: Int { batchSize == 0 ? 0 : paddingMask.count / batchSize }

    /// Records the mask of `newLength` new positions and returns the mask of all
    /// `length + newLength` positions, `[batchSize * (length + newLength)]`.
    mutating func extendMask(with newMask: [Bool], newLength: Int) -> [Bool] {
        let batch = batchSize, capacity = self.capacity, total = length + newLength
        var combined = [Bool]()
        combined.reserveCapacity(batch * total)
        for sequence in 0..<batch {
            for position in 0..<newLength {
                paddingMask[sequence * capacity + length + position] = newMask[sequence * newLength + position]
            }
            combined.append(contentsOf: paddingMask[(sequence * capacity)..<(sequence * capacity + total)])
        }
        return combined
    }

    /// Marks `newLength` positions as filled (after every block has appended its keys and values).
    mutating func advance(by newLength: Int) { length += newLength }
}

extension DecoderCache {
    /// The cache of the sequences at `indices` (repeats allowed), in that order: what beam search
    /// needs to expand each prompt into its beams and to follow the beams it keeps.
    /// - Precondition: every index is in `0..<batchSize`.
    public func gatheringSequences(_ indices: [Int]) -> DecoderCache {
        let capacity = self.capacity
        var gathered = self
        gathered.layers = layers.map { $0.gatheringSequences(indices) }
        gathered.paddingMask = indices.flatMap { paddingMask[($0 * capacity)..<(($0 + 1) * capacity)] }
        return gathered
    }
}
