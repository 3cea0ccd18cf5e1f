/// The best segmentation of normalized text under a unigram model, with the tie rule of current
/// sentencepiece (0.2) and of the tokenizers library: positions are visited left to right and a
/// later path replaces the best path to a position only when its score is strictly higher, so of two
/// equal-scoring segmentations the one whose last piece starts earliest wins (`---` is `-|--`, where
/// Debian's libsentencepiece 0.1.97 gives `--|-`). A character no piece covers is the unknown piece,
/// scored 10 below the lowest score, and runs of unknown characters are fused into one, as both
/// references do.
package struct UnigramViterbi: Sendable {
    private let pieces: [String: (id: Int32, score: Float)]
    private let longestPiece: Int
    private let unknownId: Int32
    private let unknownScore: Float

    /// A model over `pieces` (piece, id, score); `unknownId` is the id given to uncovered characters.
    package init(pieces: [(piece: String, id: Int32, score: Float)], unknownId: Int32) {
        var table: [String: (id: Int32, score: Float)] = [:]
        var longest = 1
        for entry in pieces where !entry.piece.isEmpty && table[entry.piece] == nil {
            table[entry.piece] = (entry.id, entry.score)
            longest = max(longest, entry.piece.unicodeScalars.count)
        }
        self.pieces = table
        self.longestPiece = longest
        self.unknownId = unknownId
        self.unknownScore = (pieces.map(\.score).min() ?? 0) - 10
    }

    /// The ids of the best segmentation of `text` (already normalized).
    package func encode(_ text: String) -> [Int32] { segments(text).map(\.id) }

    /// The best segmentation of `text` (already normalized): each piece's id and the text it covers
    /// (a run of unknown characters is one piece, as sentencepiece gives it).
    package func segments(_ text: String) -> [(id: Int32, surface: Substring.UnicodeScalarView)] {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        guard count > 0 else { return [] }
        // best[j]: the score of the best path to position j, its last piece's start and id.
        var bestScore = [Float](repeating: -.infinity, count: count + 1)
        var bestStart = [Int](repeating: -1, count: count + 1)
        var bestId = [Int32](repeating: -1, count: count + 1)
        bestScore[0] = 0
        // Every position is reached: a character no piece covers is the unknown piece.
        for start in 0..<count {
            var hasSingleCharacter = false
            var candidate = String.UnicodeScalarView()
            for end in (start + 1)...min(count, start + longestPiece) {
                candidate.append(scalars[end - 1])
                guard let piece = pieces[String(candidate)] else { continue }
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
