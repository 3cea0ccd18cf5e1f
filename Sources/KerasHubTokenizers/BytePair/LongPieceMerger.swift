/// Byte-pair merging for long pieces in O(n log n): a linked list of symbols and a min-heap of
/// candidate merges ordered by (rank, position), the same order as the quadratic scan (lowest rank,
/// then leftmost), so both give identical results.
struct LongPieceMerger {
    private var ids: [Int32]
    private var prev: [Int32]
    private var next: [Int32]
    private var alive: [Bool]
    private var heap: [UInt64] = []

    /// Prepares to merge the initial symbol ids `symbols`.
    init(_ symbols: [Int32]) {
        ids = symbols
        prev = (0..<symbols.count).map { Int32($0) - 1 }
        next = (0..<symbols.count).map { $0 + 1 < symbols.count ? Int32($0 + 1) : -1 }
        alive = [Bool](repeating: true, count: symbols.count)
    }

    /// Applies every possible merge and returns the final ids.
    mutating func run(_ merges: MergeTable) -> [Int32] {
        for i in 0..<(ids.count - 1) { push(i, merges) }
        while let top = pop() {
            let pos = Int(top & 0xFFFF_FFFF)
            let rank = Int32(truncatingIfNeeded: top >> 32)
            guard alive[pos], next[pos] >= 0 else { continue }
            let right = Int(next[pos])
            guard let (currentRank, merged) = merges.lookup(ids[pos], ids[right]), currentRank == rank else { continue }
            ids[pos] = merged
            alive[right] = false
            next[pos] = next[right]
            if next[right] >= 0 { prev[Int(next[right])] = Int32(pos) }
            if prev[pos] >= 0 { push(Int(prev[pos]), merges) }
            push(pos, merges)
        }
        var out: [Int32] = []
        var i = 0
        while i >= 0 && i < ids.count {
            out.append(ids[i])
            i = Int(next[i])
        }
        return out
    }

    private mutating func push(_ pos: Int, _ merges: MergeTable) {
        let right = next[pos]
        guard right >= 0, let (rank, _) = merges.lookup(ids[pos], ids[Int(right)]) else { return }
        heap.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(pos))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent] <= heap[child] { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func pop() -> UInt64? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= heap.count { break }
                var child = left
                if left + 1 < heap.count, heap[left + 1] < heap[left] { child = left + 1 }
                if heap[parent] <= heap[child] { break }
                heap.swapAt(parent, child)
                parent = child
            }
        }
        return top
    }
}
