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

    /// Appends the cached ids of `base[0..<length]` (whose hash is `hash`) to `ids`; returns
    /// whether they were cached. Copying happens under the lock, so no entry is shared outside it.
    @inline(__always)
    func lookup(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int, into ids: inout [Int32]) -> Bool {
        let shard = shards[Int(truncatingIfNeeded: hash >> 40) % shards.count]
        return shard.storage.withLock { table -> Bool in
            guard let index = table.index(forKey: hash) else { return false }
            let entry = table.values[index]
            guard entry.key.count == length else { return false }
            let same = entry.key.withUnsafeBufferPointer { k in
                k.baseAddress.map { memcmpEqual($0, base, length) } ?? (length == 0)
            }
            if same { ids.append(contentsOf: entry.ids) }
            return same
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

/// A cache private to one worker of a batch: no locks, nothing shared between threads.
struct LocalBPECache {
    private var table: [UInt64: (key: [UInt8], ids: [Int32])] = [:]

    /// Appends the cached ids of `base[0..<length]` to `ids`; returns whether they were cached.
    @inline(__always)
    func lookup(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int, into ids: inout [Int32]) -> Bool {
        guard let index = table.index(forKey: hash) else { return false }
        let entry = table.values[index]
        guard entry.key.count == length else { return false }
        let same = entry.key.withUnsafeBufferPointer { k in
            k.baseAddress.map { memcmpEqual($0, base, length) } ?? (length == 0)
        }
        if same { ids.append(contentsOf: entry.ids) }
        return same
    }

    /// Stores the ids of `key` (clearing the cache when it grows past 64k pieces).
    mutating func insert(_ hash: UInt64, key: [UInt8], ids: [Int32]) {
        if table.count >= 1 << 16 { table.removeAll(keepingCapacity: true) }
        table[hash] = (key, ids)
    }
}
