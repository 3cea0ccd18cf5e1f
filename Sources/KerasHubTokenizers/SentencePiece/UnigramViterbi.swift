/// The best segmentation of normalized text under a unigram model, with the tie rule of current
/// sentencepiece (0.2) and of the tokenizers library: positions are visited left to right and a
/// later path replaces the best path to a position only when its score is strictly higher, so of two
/// equal-scoring segmentations the one whose last piece starts earliest wins (`---` is `-|--`, where
/// Debian's libsentencepiece 0.1.97 gives `--|-`). A character no piece covers is the unknown piece,
/// scored 10 below the lowest score, and runs of unknown characters are fused into one, as both
/// references do.
package struct UnigramViterbi: Sendable {
    /// Pieces by their UTF-8 bytes, valued by their index in `entries`. Bytes, not `String`s: Swift
    /// compares strings by canonical equivalence, so `"s\u{307}\u{323}"` would find the piece `"ṩ"`,
    /// where sentencepiece matches pieces byte for byte.
    private let table: ByteStringTable
    private let entries: [(id: Int32, score: Float)]
    private let unknownId: Int32
    private let unknownScore: Float

    /// A model over `pieces` (piece, id, score); `unknownId` is the id given to uncovered characters.
    /// Of pieces with the same bytes the first is kept.
    package init(pieces: [(piece: String, id: Int32, score: Float)], unknownId: Int32) {
        var table = ByteStringTable(capacity: pieces.count)
        var entries: [(id: Int32, score: Float)] = []
        entries.reserveCapacity(pieces.count)
        for entry in pieces where !entry.piece.isEmpty {
            if table.insert(Array(entry.piece.utf8), value: Int32(entries.count)) == nil {
                entries.append((entry.id, entry.score))
            }
        }
        self.table = table
        self.entries = entries
        self.unknownId = unknownId
        self.unknownScore = (pieces.map(\.score).min() ?? 0) - 10
    }

    /// The ids of the best segmentation of `text` (already normalized).
    package func encode(_ text: String) -> [Int32] { segments(text).map(\.id) }

    /// The best segmentation of `text` (already normalized): each piece's id and the text it covers
    /// (a run of unknown characters is one piece, as sentencepiece gives it).
    package func segments(_ text: String) -> [(id: Int32, surface: Substring.UnicodeScalarView)] {
        let bytes = Array(text.utf8)
        // offsets[k]: the byte offset of scalar k (and the byte count at the end).
        var offsets: [Int] = []
        offsets.reserveCapacity(bytes.count + 1)
        for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 { offsets.append(offset) }
        let count = offsets.count
        offsets.append(bytes.count)
        guard count > 0 else { return [] }
        let longestBytes = table.maxKeyLength
        // best[j]: the score of the best path to position j, its last piece's start and id.
        var bestScore = [Float](repeating: -.infinity, count: count + 1)
        var bestStart = [Int](repeating: -1, count: count + 1)
        var bestId = [Int32](repeating: -1, count: count + 1)
        bestScore[0] = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Every position is reached: a character no piece covers is the unknown piece.
            for start in 0..<count {
                var hasSingleCharacter = false
                var end = start + 1
                while end <= count, offsets[end] - offsets[start] <= longestBytes {
                    defer { end += 1 }
                    guard let index = table.lookup(base + offsets[start], offsets[end] - offsets[start]) else { continue }
                    let piece = entries[Int(index)]
                    if end == start + 1 { hasSingleCharacter = true }
                    let score = bestScore[start] + piece.score
                    if bestStart[end] < 0 || score > bestScore[end] {
                        (bestScore[end], bestStart[end], bestId[end]) = (score, start, piece.id)
                    }
                }
                if !hasSingleCharacter {
                    let score = bestScore[start] + unknownScore
                    if bestStart[start + 1] < 0 || score > bestScore[start + 1] {
                        (bestScore[start + 1], bestStart[start + 1], bestId[start + 1]) = (score, start, unknownId)
                    }
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
        let view = text.unicodeScalars
        let indices = Array(view.indices) + [view.endIndex]
        return spans.reversed().map { span in (span.id, view[indices[span.start]..<indices[span.end]]) }
    }
}
