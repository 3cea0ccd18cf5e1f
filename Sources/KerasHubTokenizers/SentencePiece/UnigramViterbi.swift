/// The best segmentation of normalized text under a unigram model, with the tie rule of current
/// sentencepiece (0.2) and of the tokenizers library: positions are visited left to right and a
/// later path replaces the best path to a position only when its score is strictly higher, so of two
/// equal-scoring segmentations the one whose last piece starts earliest wins (`---` is `-|--`, where
/// Debian's libsentencepiece 0.1.97 gives `--|-`). A character no piece covers is the unknown piece,
/// scored 10 below the lowest score, and runs of unknown characters are fused into one, as both
/// references do.
///
/// Pieces are matched by their UTF-8 bytes, not as `String`s: Swift compares strings by canonical
/// equivalence, so `"ṡ\u{323}"` would find the piece `"ṩ"`, where sentencepiece matches byte for byte.
package struct UnigramViterbi: Sendable {
    private let table: PiecePrefixTable
    private let unknownId: Int32
    private let unknownScore: Float

    /// A model over `pieces` (piece, id, score); `unknownId` is the id given to uncovered characters.
    /// Of pieces with the same bytes the first is kept.
    package init(pieces: [(piece: String, id: Int32, score: Float)], unknownId: Int32) {
        table = PiecePrefixTable(pieces: pieces.filter { !$0.piece.isEmpty }.map { (Array($0.piece.utf8), $0.id, $0.score) })
        self.unknownId = unknownId
        self.unknownScore = (pieces.map(\.score).min() ?? 0) - 10
    }

    /// The ids of the best segmentation of `text` (already normalized).
    package func encode(_ text: String) -> [Int32] { spans(text).map(\.id) }

    /// The ids of the best segmentation of normalized UTF-8 bytes.
    func encode(normalizedBytes bytes: UnsafeBufferPointer<UInt8>) -> [Int32] { spans(bytes: bytes).map(\.id) }

    /// The best segmentation of `text` (already normalized): each piece's id and the text it covers
    /// (a run of unknown characters is one piece, as sentencepiece gives it).
    package func segments(_ text: String) -> [(id: Int32, surface: Substring.UnicodeScalarView)] {
        let spans = spans(text)
        let view = text.unicodeScalars
        let indices = Array(view.indices) + [view.endIndex]
        return spans.map { span in (span.id, view[indices[span.start]..<indices[span.end]]) }
    }

    /// The best path as spans of scalar positions, in order.
    private func spans(_ text: String) -> [(id: Int32, start: Int, end: Int)] {
        var text = text
        return text.withUTF8 { spans(bytes: $0) }
    }

    private func spans(bytes: UnsafeBufferPointer<UInt8>) -> [(id: Int32, start: Int, end: Int)] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        // offsets[k]: the byte offset of scalar k (and the byte count at the end).
        var offsets: [Int] = []
        offsets.reserveCapacity(bytes.count + 1)
        for k in 0..<bytes.count where bytes[k] & 0xC0 != 0x80 { offsets.append(k) }
        let count = offsets.count
        offsets.append(bytes.count)
        // best[j]: the score of the best path to position j, its last piece's start and id.
        var bestScore = [Float](repeating: -.infinity, count: count + 1)
        var bestStart = [Int](repeating: -1, count: count + 1)
        var bestId = [Int32](repeating: -1, count: count + 1)
        bestScore[0] = 0
        // Every position is reached: a character no piece covers is the unknown piece.
        for start in 0..<count {
            var hasSingleCharacter = false
            let from = offsets[start]
            var hash = PiecePrefixTable.seed
            var byte = from
            var end = start + 1
            // Extend scalar by scalar while the bytes so far begin some piece.
            while end <= count {
                while byte < offsets[end] {
                    hash = PiecePrefixTable.step(hash, bytes[byte])
                    byte += 1
                }
                guard let entry = table.lookup(hash, base + from, byte - from) else { break }
                if entry.isPiece {
                    if end == start + 1 { hasSingleCharacter = true }
                    let score = bestScore[start] + entry.score
                    if bestStart[end] < 0 || score > bestScore[end] {
                        (bestScore[end], bestStart[end], bestId[end]) = (score, start, entry.id)
                    }
                }
                end += 1
            }
            if !hasSingleCharacter {
                let score = bestScore[start] + unknownScore
                if bestStart[start + 1] < 0 || score > bestScore[start + 1] {
                    (bestScore[start + 1], bestStart[start + 1], bestId[start + 1]) = (score, start, unknownId)
                }
            }
        }
        // Walk back; fuse adjacent unknown pieces by extending the later one's start.
        var spans: [(id: Int32, start: Int, end: Int)] = []
        var position = count
        while position > 0, bestStart[position] >= 0 {
            let id = bestId[position], start = bestStart[position]
            if id == unknownId, let last = spans.last, last.id == unknownId {
                spans[spans.count - 1].start = start
            } else {
                spans.append((id, start, position))
            }
            position = start
        }
        spans.reverse()
        return spans
    }
}

/// Every piece of a unigram model and every prefix of one that ends on a scalar boundary, by bytes,
/// in one open-addressing table with a hash that extends byte by byte: the lattice walks forward from
/// a position only while the bytes so far begin some piece, as a trie would.
struct PiecePrefixTable: Sendable {
    struct Entry {
        var id: Int32
        var score: Float
        /// Whether the key is a whole piece (not only the prefix of one).
        var isPiece: Bool
    }

    private var hashes: [UInt64]
    private var keyOffsets: [Int32]
    private var keyLengths: [Int32]
    private var entries: [Entry]
    private var arena: [UInt8] = []
    private let mask: Int

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    /// FNV-1a, one byte.
    @inline(__always)
    static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

    init(pieces: [(bytes: [UInt8], id: Int32, score: Float)]) {
        var keyCount = 0
        for piece in pieces { keyCount += piece.bytes.count }
        var size = 16
        while size < keyCount * 2 { size <<= 1 }
        mask = size - 1
        hashes = [UInt64](repeating: 0, count: size)
        keyOffsets = [Int32](repeating: -1, count: size)
        keyLengths = [Int32](repeating: 0, count: size)
        entries = [Entry](repeating: Entry(id: 0, score: 0, isPiece: false), count: size)
        arena.reserveCapacity(keyCount)
        for piece in pieces {
            let offset = arena.count
            arena += piece.bytes
            var hash = Self.seed
            for (k, byte) in piece.bytes.enumerated() {
                hash = Self.step(hash, byte)
                let length = k + 1
                let atBoundary = length == piece.bytes.count || piece.bytes[length] & 0xC0 != 0x80
                guard atBoundary else { continue }
                insert(hash, offset: offset, length: length,
                       entry: length == piece.bytes.count ? Entry(id: piece.id, score: piece.score, isPiece: true) : nil)
            }
        }
    }

    /// Adds a key (a whole piece when `entry` is set, else a prefix); a piece already present keeps
    /// its first entry, a prefix that is also a piece becomes the piece.
    private mutating func insert(_ hash: UInt64, offset: Int, length: Int, entry: Entry?) {
        var i = Int(truncatingIfNeeded: hash >> 7) & mask
        while keyOffsets[i] >= 0 {
            if hashes[i] == hash, Int(keyLengths[i]) == length,
               arena[Int(keyOffsets[i])..<(Int(keyOffsets[i]) + length)] == arena[offset..<(offset + length)] {
                if let entry, !entries[i].isPiece { entries[i] = entry }
                return
            }
            i = (i + 1) & mask
        }
        hashes[i] = hash
        keyOffsets[i] = Int32(offset)
        keyLengths[i] = Int32(length)
        entries[i] = entry ?? Entry(id: 0, score: 0, isPiece: false)
    }

    /// The entry of the bytes `base[0..<length]` whose hash is `hash`, or `nil` when no piece begins so.
    @inline(__always)
    func lookup(_ hash: UInt64, _ base: UnsafePointer<UInt8>, _ length: Int) -> Entry? {
        arena.withUnsafeBufferPointer { keys -> Entry? in
            guard let keyBase = keys.baseAddress else { return nil }
            var i = Int(truncatingIfNeeded: hash >> 7) & mask
            while keyOffsets[i] >= 0 {
                if hashes[i] == hash, Int(keyLengths[i]) == length, memcmpEqual(keyBase + Int(keyOffsets[i]), base, length) {
                    return entries[i]
                }
                i = (i + 1) & mask
            }
            return nil
        }
    }
}
