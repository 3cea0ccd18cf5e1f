import Synchronization

/// A thread-safe cache from pre-tokenized pieces (raw bytes) to their BPE ids.
///
/// Sharded by hash so threads working on one batch rarely wait for each other; each shard is
/// cleared when it grows past its limit, which bounds memory on unbounded input.
final class BPECache: Sendable {
    private struct Entry {
        var key: [UInt8]
        var ids: [Int32]
    }

    private final class Shard: Sendable {
        let storage = Mutex<[UInt64: Entry]>([:])
    }

    private let shards: [Shard]
    private let limitPerShard: Int

    /// Creates a cache holding up to about `capacity` pieces.
    init(capacity: Int = 1 << 16, shardCount: Int = 32) {
        shards = (0..<shardCount).map { _ in Shard() }
        limitPerShard = max(16, capacity / shardCount)
    }

    /// The cached ids of `base[0..<length]` (whose hash is `hash`), if any.
    @inline(__always)
    func lookup(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int) -> [Int32]? {
        let shard = shards[Int(truncatingIfNeeded: hash >> 40) % shards.count]
        return shard.storage.withLock { table -> [Int32]? in
            guard let entry = table[hash], entry.key.count == length else { return nil }
            let same = entry.key.withUnsafeBufferPointer { k in
                k.baseAddress.map { memcmpEqual($0, base, length) } ?? (length == 0)
            }
            return same ? entry.ids : nil
        }
    }

    /// Stores the ids of `key`.
    func insert(_ hash: UInt64, key: [UInt8], ids: [Int32]) {
        let shard = shards[Int(truncatingIfNeeded: hash >> 40) % shards.count]
        let limit = limitPerShard
        shard.storage.withLock { table in
            if table.count >= limit { table.removeAll(keepingCapacity: true) }
            table[hash] = Entry(key: key, ids: ids)
        }
    }
}
