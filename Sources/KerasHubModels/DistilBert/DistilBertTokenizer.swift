/// DistilBERT's WordPiece tokenizer, as KerasHub's `DistilBertTokenizer`: a `WordPieceTokenizer` with the
/// special tokens `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]` and `[UNK]`, which must all be in the vocabulary.
///
/// ```swift
/// let tokenizer = try DistilBertTokenizer(vocabularyFile: "vocab.txt", lowercase: true)
/// tokenizer.tokenize("The quick brown fox.")  // [1996, 4248, 2829, 4419, 1012]
/// ```
public struct DistilBertTokenizer: BertFamilyTokenizer {
    /// The underlying WordPiece tokenizer.
    public let wordPiece: WordPieceTokenizer
    /// The special token ids.
    public let specialIds: BertSpecialTokenIds

    /// DistilBERT's special tokens, in the order of `specialTokenIds`.
    public static var specialTokenStrings: [String] { BertSpecialTokenIds.tokens }

    /// Creates the tokenizer from a vocabulary list (index = id).
    ///
    /// - Throws: `TokenizerError.missingSpecialToken` when a special token is absent, and the
    ///   other errors of `WordPieceTokenizer`.
    public init(vocabulary: [String], lowercase: Bool = false, specialTokensInStrings: Bool = false,
                sequenceLength: Int? = nil) throws {
        try self.init(wordPiece: BertSpecialTokenIds.wordPiece(
            vocabulary: vocabulary, lowercase: lowercase, specialTokensInStrings: specialTokensInStrings,
            sequenceLength: sequenceLength))
    }

    /// Creates the tokenizer from a one-token-per-line `vocab.txt`.
    public init(vocabularyFile: String, lowercase: Bool = false, specialTokensInStrings: Bool = false,
                sequenceLength: Int? = nil) throws {
        try self.init(wordPiece: BertSpecialTokenIds.wordPiece(
            vocabularyFile: vocabularyFile, lowercase: lowercase, specialTokensInStrings: specialTokensInStrings,
            sequenceLength: sequenceLength))
    }

    /// Wraps a configured `WordPieceTokenizer` (any options: accent stripping, CJK splitting…)
    /// whose vocabulary holds the five special tokens.
    ///
    /// - Throws: `TokenizerError.missingSpecialToken` when one of them is absent.
    public init(wordPiece: WordPieceTokenizer) throws {
        self.wordPiece = wordPiece
        self.specialIds = try BertSpecialTokenIds(wordPiece)
    }
}
