import Testing
import KerasHubTokenizers

/// The unigram segmentation matches pieces byte for byte, as sentencepiece and tokenizers do.
@Suite struct UnigramViterbiTests {
    /// XLM-R's normalizer turns `"s\u{307}\u{323}"` into `"ṡ\u{323}"` (U+1E61 U+0323), canonically
    /// equivalent to the piece `"ṩ"` (U+1E69) but not the same bytes: sentencepiece 0.2 gives `ṡ`,
    /// U+0323 for it, where a `String`-keyed table found `ṩ`.
    @Test func piecesMatchByBytesNotByCanonicalEquivalence() {
        let viterbi = UnigramViterbi(
            pieces: [("\u{1E69}", 1, -1), ("\u{1E61}", 2, -2), ("\u{323}", 3, -2), ("s", 4, -3), ("\u{307}", 5, -3)],
            unknownId: 0)
        #expect(viterbi.encode("\u{1E61}\u{323}") == [2, 3])
        #expect(viterbi.encode("s\u{307}\u{323}") == [4, 5, 3])
        #expect(viterbi.encode("\u{1E69}") == [1])
    }

    /// Two pieces that are canonically equivalent but differ in bytes are both kept.
    @Test func canonicallyEquivalentPiecesAreDistinct() {
        let viterbi = UnigramViterbi(pieces: [("\u{E9}", 1, -1), ("e\u{301}", 2, -1)], unknownId: 0)
        #expect(viterbi.encode("\u{E9}") == [1])
        #expect(viterbi.encode("e\u{301}") == [2])
        #expect(viterbi.encode("x") == [0])
    }
}
