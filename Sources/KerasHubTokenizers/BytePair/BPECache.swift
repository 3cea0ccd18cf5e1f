import Synchronization

/// A fixed-size cache from pre-tokenized pieces (raw bytes) to their BPE ids, in manually managed
/// flat memory so that hits cost no allocation and no reference counting. Not thread-safe by
/// itself: `BPECache` guards shared instances with locks, batch workers own private ones.
final class FlatPieceCache: @unchecked Sendable {
    private let slotMask: Int
    private let hashes: UnsafeMutablePointer<UInt64>
    private let keyOffsets: UnsafeMutablePointer<Int32>
    private let idOffsets: UnsafeMutablePointer<Int32>
    private let lengths: UnsafeMutablePointer<UInt32>
    private let keyArena: UnsafeMutablePointer<UInt8>
    private let idArena: UnsafeMutablePointer<Int32>
    private let keyCapacity: Int
    private let idCapacity: Int
    private var keyUsed = 0
    private var idUsed = 0
    private var count = 0

    /// Longest piece (in bytes) that is cached.
    static let maxKeyLength = 255

    /// Creates a cache with `slots` entries (rounded up to a power of two).
    init(slots: Int = 1 << 14) {
        var size = 16
        while size < slots { size <<= 1 }
        slotMask = size - 1
        hashes = .allocate(capacity: size)
        hashes.initialize(repeating: 0, count: size)
        keyOffsets = .allocate(capacity: size)
        keyOffsets.initialize(repeating: 0, count: size)
        idOffsets = .allocate(capacity: size)
        idOffsets.initialize(repeating: 0, count: size)
        lengths = .allocate(capacity: size)
        lengths.initialize(repeating: 0, count: size)
        keyCapacity = size * 16
        idCapacity = size * 8
        keyArena = .allocate(capacity: keyCapacity)
        idArena = .allocate(capacity: idCapacity)
    }

    deinit {
        hashes.deallocate()
        keyOffsets.deallocate()
        idOffsets.deallocate()
        lengths.deallocate()
        keyArena.deallocate()
        idArena.deallocate()
    }

    /// Appends the cached ids of `base[0..<length]` (hash `hash`) to `ids`; returns whether found.
    @inline(__always)
    func lookup(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int, into ids: inout [Int32]) -> Bool {
        let h = hash | 1
        var i = Int(truncatingIfNeeded: h >> 7) & slotMask
        while true {
            let stored = hashes[i]
            if stored == 0 { return false }
            if stored == h {
                let packed = lengths[i]
                if Int(packed >> 16) == length,
                   memcmpEqual(UnsafePointer(keyArena + Int(keyOffsets[i])), base, length) {
                    let n = Int(packed & 0xFFFF)
                    ids.append(contentsOf: UnsafeBufferPointer(start: idArena + Int(idOffsets[i]), count: n))
                    return true
                }
            }
            i = (i + 1) & slotMask
        }
    }

    /// Stores `result` for `base[0..<length]`; clears everything first when full.
    func insert(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int, _ result: [Int32]) {
        guard length <= FlatPieceCache.maxKeyLength, result.count <= 0xFFFF else { return }
        if count * 2 >= slotMask || keyUsed + length > keyCapacity || idUsed + result.count > idCapacity {
            hashes.update(repeating: 0, count: slotMask + 1)
            count = 0
            keyUsed = 0
            idUsed = 0
        }
        let h = hash | 1
        var i = Int(truncatingIfNeeded: h >> 7) & slotMask
        while hashes[i] != 0 { i = (i + 1) & slotMask }
        (keyArena + keyUsed).update(from: base, count: length)
        result.withUnsafeBufferPointer { r in
            if let r = r.baseAddress { (idArena + idUsed).update(from: r, count: result.count) }
        }
        hashes[i] = h
        keyOffsets[i] = Int32(keyUsed)
        idOffsets[i] = Int32(idUsed)
        lengths[i] = UInt32(length) << 16 | UInt32(result.count)
        keyUsed += length
        idUsed += result.count
        count += 1
    }
}

/// The thread-safe cache a `BytePairTokenizer` shares between calls: `FlatPieceCache` shards, each
/// behind its own lock, chosen by hash so concurrent callers rarely wait for each other.
final class BPECache: Sendable {
    private final class Shard: Sendable {
        let cache: Mutex<FlatPieceCache>
        init(slots: Int) { cache = Mutex(FlatPieceCache(slots: slots)) }
    }

    private let shards: [Shard]

    /// Creates `shardCount` shards of `slotsPerShard` entries.
    init(shardCount: Int = 16, slotsPerShard: Int = 1 << 13) {
        shards = (0..<shardCount).map { _ in Shard(slots: slotsPerShard) }
    }

    /// Appends the cached ids of `base[0..<length]` to `ids`; returns whether they were cached.
    @inline(__always)
    func lookup(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int, into ids: inout [Int32]) -> Bool {
        shards[Int(truncatingIfNeeded: hash >> 48) % shards.count].cache.withLock {
            $0.lookup(hash, base, length, into: &ids)
        }
    }

    /// Stores the ids of `base[0..<length]`.
    func insert(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int, _ result: [Int32]) {
        shards[Int(truncatingIfNeeded: hash >> 48) % shards.count].cache.withLock {
            $0.insert(hash, base, length, result)
        }
    }
}
