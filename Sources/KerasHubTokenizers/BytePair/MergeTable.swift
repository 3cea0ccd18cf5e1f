/// An immutable open-addressing map from a pair of token ids to the merge's rank and result id.
struct MergeTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    /// Creates an empty table for up to `capacity` merges.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: MergeTable.empty, count: size)
        values = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        (UInt64(UInt32(bitPattern: a)) << 32) | UInt64(UInt32(bitPattern: b))
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20)
    }

    /// Adds the merge `a b -> merged` with `rank` unless the pair is already present (first wins).
    mutating func insert(_ a: Int32, _ b: Int32, rank: Int32, merged: Int32) {
        let k = MergeTable.key(a, b)
        var i = MergeTable.slot(k) & mask
        while keys[i] != MergeTable.empty {
            if keys[i] == k { return }
            i = (i + 1) & mask
        }
        keys[i] = k
        values[i] = (UInt64(UInt32(bitPattern: rank)) << 32) | UInt64(UInt32(bitPattern: merged))
    }

    /// The rank and merged id of the pair `a b`, if it is a merge.
    @inline(__always)
    func lookup(_ a: Int32, _ b: Int32) -> (rank: Int32, merged: Int32)? {
        let k = MergeTable.key(a, b)
        return keys.withUnsafeBufferPointer { ks in
            var i = MergeTable.slot(k) & mask
            while true {
                let current = ks[i]
                if current == k {
                    let v = values[i]
                    return (Int32(truncatingIfNeeded: v >> 32), Int32(truncatingIfNeeded: v))
                }
                if current == MergeTable.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }
}
