/// An immutable open-addressing hash map from byte strings to token ids.
///
/// Keys live in one contiguous arena, so a lookup by a slice of the input never allocates.
struct ByteStringTable: Sendable {
    private var arena: [UInt8] = []
    private var slots: [Slot]
    private let mask: Int
    /// Length in bytes of the longest key.
    private(set) var maxKeyLength = 0
    /// Number of keys.
    private(set) var count = 0

    private struct Slot: Sendable {
        var hash: UInt64 = 0
        var offset: Int32 = -1
        var length: Int32 = 0
        var value: Int32 = 0
    }

    /// Creates a table able to hold `capacity` keys without resizing.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    /// FNV-1a over the bytes, eight bytes at a time where possible.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        while i + 8 <= count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            h = (h ^ word) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < count {
            h = (h ^ UInt64(base[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= UInt64(count)
        h ^= h >> 32
        return h &* 0x9E37_79B9_7F4A_7C15
    }

    /// Inserts `key` with `value`. Returns the existing value instead if the key is present.
    @discardableResult
    mutating func insert(_ key: [UInt8], value: Int32) -> Int32? {
        if let existing = self[key] { return existing }
        let h = key.withUnsafeBufferPointer { ByteStringTable.hash($0.baseAddress ?? UnsafePointer(emptyBytePointer), $0.count) }
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].offset >= 0 { i = (i + 1) & mask }
        slots[i] = Slot(hash: h, offset: Int32(arena.count), length: Int32(key.count), value: value)
        arena.append(contentsOf: key)
        maxKeyLength = max(maxKeyLength, key.count)
        count += 1
        return nil
    }

    /// Looks up the bytes `base[0..<length]`.
    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        let h = ByteStringTable.hash(base, length)
        return arena.withUnsafeBufferPointer { keys -> Int32? in
            slots.withUnsafeBufferPointer { table -> Int32? in
                var i = Int(truncatingIfNeeded: h) & mask
                while true {
                    let slot = table[i]
                    if slot.offset < 0 { return nil }
                    if slot.hash == h, Int(slot.length) == length {
                        if length == 0 { return slot.value }
                        if let k = keys.baseAddress, memcmpEqual(k + Int(slot.offset), base, length) {
                            return slot.value
                        }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// Looks up a whole key.
    subscript(key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { buf in
            lookup(buf.baseAddress ?? UnsafePointer(emptyBytePointer), buf.count)
        }
    }
}

/// Byte-wise equality of two memory ranges.
@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// A valid pointer used as the base address of empty byte strings.
nonisolated(unsafe) let emptyBytePointer: UnsafeMutablePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
}()
