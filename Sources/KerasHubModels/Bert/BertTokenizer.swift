import KerasHubTokenizers

/// BERT's WordPiece tokenizer, as KerasHub's `BertTokenizer`: a `WordPieceTokenizer` with the
/// special tokens `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]` and `[UNK]`, which must all be in the vocabulary.
///
/// ```swift
/// let tokenizer = try BertTokenizer(vocabularyFile: "vocab.txt", lowercase: true)
/// tokenizer.tokenize("The quick brown fox.")  // [1996, 4248, 2829, 4419, 1012]
/// ```
///
/// The vocabulary initializers come from ``BertFamilyTokenizer``.
public struct BertTokenizer: BertFamilyTokenizer {
    /// The underlying WordPiece tokenizer.
    public let wordPiece: WordPieceTokenizer
    /// The special token ids.
    public let specialIds: BertSpecialTokenIds

    /// Wraps a configured `WordPieceTokenizer` (any options: accent stripping, CJK splitting…)
    /// whose vocabulary holds the five special tokens.
    ///
    /// - Throws: `TokenizerError.missingSpecialToken` when one of them is absent.
    public init(wordPiece: WordPieceTokenizer) throws {
        self.wordPiece = wordPiece
        self.specialIds = try BertSpecialTokenIds(wordPiece)
    }
}
