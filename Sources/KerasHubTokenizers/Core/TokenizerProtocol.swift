/// What every tokenizer does: strings to integer token ids and back. ``Tokenizer`` wraps any
/// conforming type (it is what `Tokenizer.fromPreset` returns); concrete tokenizers such as
/// `WordPieceTokenizer`, `BytePairTokenizer`, `SentencePieceTokenizer` and the model tokenizers
/// conform directly.
///
/// Tokenizers are immutable values that can be shared across threads. `tokenize(_:)` never adds
/// special tokens on its own (use `StartEndPacker` or `MultiSegmentPacker` for that), matching
/// KerasHub's tokenizers.
public protocol TokenizerProtocol: Sendable {
    /// Splits `text` into token ids.
    func tokenize(_ text: String) -> [Int32]
    /// Turns token ids back into text. Ids outside the vocabulary are skipped.
    func detokenize(_ ids: [Int32]) -> String
    /// Number of ids in the vocabulary (ids are `0..<vocabularySize`).
    var vocabularySize: Int { get }
    /// The token string for `id`, or `nil` when `id` is out of range.
    func idToToken(_ id: Int32) -> String?
    /// The id of `token`, or `nil` when it is not in the vocabulary.
    func tokenToId(_ token: String) -> Int32?
    /// The special tokens of this tokenizer (for example `[CLS]`, `<|endoftext|>`).
    var specialTokens: [String] { get }
    /// The ids of `specialTokens`, in the same order.
    var specialTokenIds: [Int32] { get }
    /// When set, the batch form of `tokenize` truncates or pads (with id 0) every output to this length.
    var sequenceLength: Int? { get }
    /// Tokenizes a batch of texts, splitting the work across all cores; outputs are truncated or
    /// right-padded with id 0 to `sequenceLength` when it is set. A default implementation is provided.
    func tokenize(_ texts: [String]) -> [[Int32]]
}

extension TokenizerProtocol {
    /// Tokenizes a batch of texts, splitting the work across all cores.
    ///
    /// When `sequenceLength` is set, each output is truncated or right-padded with id 0 to that
    /// length (KerasHub's dense output); otherwise outputs keep their natural lengths.
    public func tokenize(_ texts: [String]) -> [[Int32]] {
        let length = sequenceLength
        return parallelMap(texts) { text in
            let ids = self.tokenize(text)
            guard let length else { return ids }
            return fitToLength(ids, length, padValue: 0)
        }
    }

    /// Detokenizes a batch of id sequences, splitting the work across all cores.
    public func detokenize(_ batch: [[Int32]]) -> [String] {
        parallelMap(batch) { self.detokenize($0) }
    }
}

/// Truncates `ids` or pads them on the right with `padValue` to exactly `length` ids.
func fitToLength(_ ids: [Int32], _ length: Int, padValue: Int32) -> [Int32] {
    let length = max(0, length)
    if ids.count >= length { return Array(ids.prefix(length)) }
    return ids + [Int32](repeating: padValue, count: length - ids.count)
}
