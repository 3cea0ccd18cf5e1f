/// The byte-level BPE pre-tokenizer, by hand over Unicode scalars (``BytePairTokenizer/SplitPattern``):
/// GPT-2's regex `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, or
/// no split at all, as KerasHub 0.32 tokenizes.
///
/// The tables are stored in the value (not read from globals in the hot loop), so threads share
/// nothing they write to.
struct ByteLevelPreTokenizer: Sendable {
    /// GPT-2 class of each ASCII byte.
    private let asciiClass: [UInt8]
    /// GPT-2 class of every scalar.
    private let table: ScalarTable
    /// Which regex to split as.
    let pattern: BytePairTokenizer.SplitPattern

    /// Creates the pre-tokenizer from the process-wide Unicode tables.
    init(pattern: BytePairTokenizer.SplitPattern = .gpt2) {
        table = UnicodeTables.gpt2
        asciiClass = (0..<128).map { UnicodeTables.gpt2[UInt32($0)] }
        self.pattern = pattern
    }

    @inline(__always)
    private func scalarClass(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt8, Int) {
        let b = p[i]
        if b < 0x80 { return (asciiClass[Int(b)], 1) }
        let (cp, length) = UTF8Scan.decode(p, i)
        return (table[cp], length)
    }

    /// End of the run of scalars of class `cls` starting at `i` (exclusive), within `..<end`.
    @inline(__always)
    private func run(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int, _ cls: UInt8) -> Int {
        var j = i
        while j < end {
            let (c, length) = scalarClass(p, j)
            if c != cls { break }
            j += length
        }
        return j
    }

    /// Length of a contraction (`'s 't 'm 'd 're 've 'll`) at `i`, or 0.
    @inline(__always)
    private static func contraction(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        guard i + 1 < end else { return 0 }
        switch p[i + 1] {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return i + 2 < end && p[i + 2] == UInt8(ascii: "e") ? 3 : 0
        case UInt8(ascii: "l"):
            return i + 2 < end && p[i + 2] == UInt8(ascii: "l") ? 3 : 0
        default:
            return 0
        }
    }

    /// Calls `body` with each piece (a byte range of `p`) of `range`, in order.
    @inline(__always)
    func split(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        switch pattern {
        case .gpt2: splitGPT2(p, range, body)
        case .wholeText: if !range.isEmpty { body(range) }
        }
    }

    /// GPT-2's regex.
    @inline(__always)
    private func splitGPT2(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>) -> Void) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = p[i]
            if b == UInt8(ascii: "'") {
                let n = ByteLevelPreTokenizer.contraction(p, i, end)
                if n > 0 {
                    body(i..<(i + n))
                    i += n
                    continue
                }
            }
            if b == UInt8(ascii: " "), i + 1 < end {
                let (next, _) = scalarClass(p, i + 1)
                if next != GPT2CharClass.space {
                    let j = run(p, i + 1, end, next)
                    body(i..<j)
                    i = j
                    continue
                }
            }
            let (cls, length) = scalarClass(p, i)
            if cls != GPT2CharClass.space {
                let j = run(p, i + length, end, cls)
                body(i..<j)
                i = j
                continue
            }
            // A whitespace run: all of it at the end of input; otherwise all but its last scalar
            // (`\s+(?!\S)`), or the single scalar when the run is one long (`\s+`).
            var last = i
            var j = i
            while j < end {
                let (c, l) = scalarClass(p, j)
                if c != GPT2CharClass.space { break }
                last = j
                j += l
            }
            if j == end || last == i {
                body(i..<j)
                i = j
            } else {
                body(i..<last)
                i = last
            }
        }
    }
}
