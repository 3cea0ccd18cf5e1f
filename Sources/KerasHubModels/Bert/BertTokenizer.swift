/// BERT's WordPiece tokenizer, as KerasHub's `BertTokenizer`: a `WordPieceTokenizer` with the
/// special tokens `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]` and `[UNK]`, which must all be in the vocabulary.
///
/// ```swift
/// let tokenizer = try BertTokenizer(vocabularyFile: "vocab.txt", lowercase: true)
/// tokenizer.tokenize("The quick brown fox.")  // [1996, 4248, 2829, 4419, 1012]
/// ```
public struct BertTokenizer: TokenizerProtocol {
    /// The underlying WordPiece tokenizer.
    public let wordPiece: WordPieceTokenizer
    /// Id of `[CLS]` (the start of every packed sequence).
    public let clsTokenId: Int32
    /// Id of `[SEP]` (the end of every segment).
    public let sepTokenId: Int32
    /// Id of `[PAD]`.
    public let padTokenId: Int32
    /// Id of `[MASK]`.
    public let maskTokenId: Int32
    /// Id of `[UNK]`.
    public let unkTokenId: Int32

    /// BERT's special tokens, in the order of `specialTokenIds`.
    public static let specialTokenStrings = ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"]

    /// Creates the tokenizer from a vocabulary list (index = id).
    ///
    /// - Throws: `TokenizerError.missingSpecialToken` when a BERT special token is absent, and the
    ///   other errors of `WordPieceTokenizer`.
    public init(vocabulary: [String], lowercase: Bool = false, specialTokensInStrings: Bool = false,
                sequenceLength: Int? = nil) throws {
        try self.init(wordPiece: WordPieceTokenizer(
            vocabulary: vocabulary, lowercase: lowercase, oovToken: "[UNK]",
            specialTokens: Self.specialTokenStrings, specialTokensInStrings: specialTokensInStrings,
            sequenceLength: sequenceLength))
    }

    /// Creates the tokenizer from a one-token-per-line `vocab.txt`.
    public init(vocabularyFile: String, lowercase: Bool = false, specialTokensInStrings: Bool = false,
                sequenceLength: Int? = nil) throws {
        try self.init(wordPiece: WordPieceTokenizer(
            vocabularyFile: vocabularyFile, lowercase: lowercase, oovToken: "[UNK]",
            specialTokens: Self.specialTokenStrings, specialTokensInStrings: specialTokensInStrings,
            sequenceLength: sequenceLength))
    }

    /// Wraps a configured `WordPieceTokenizer` (any options: accent stripping, CJK splitting…)
    /// whose special tokens must include `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]` and `[UNK]`.
    ///
    /// - Throws: `TokenizerError.missingSpecialToken` when one of them is absent.
    public init(wordPiece: WordPieceTokenizer) throws {
        self.wordPiece = wordPiece
        var ids: [Int32] = []
        for token in Self.specialTokenStrings {
            guard let id = wordPiece.tokenToId(token) else { throw TokenizerError.missingSpecialToken(token) }
            ids.append(id)
        }
        (clsTokenId, sepTokenId, padTokenId, maskTokenId, unkTokenId) = (ids[0], ids[1], ids[2], ids[3], ids[4])
    }

    /// Id placed at the start of packed sequences (`[CLS]`).
    public var startTokenId: Int32 { clsTokenId }
    /// Id placed at the end of packed sequences (`[SEP]`).
    public var endTokenId: Int32 { sepTokenId }
    /// Whether input is lowercased.
    public var lowercase: Bool { wordPiece.lowercase }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { wordPiece.vocabularySize }
    /// The special tokens.
    public var specialTokens: [String] { wordPiece.specialTokens }
    /// The ids of `specialTokens`, in the same order.
    public var specialTokenIds: [Int32] { wordPiece.specialTokenIds }
    /// Output length of the batch `tokenize`, or `nil` for ragged output.
    public var sequenceLength: Int? { wordPiece.sequenceLength }
    /// Splits `text` into token ids (no special tokens are added).
    public func tokenize(_ text: String) -> [Int32] { wordPiece.tokenize(text) }
    /// Turns token ids back into text.
    public func detokenize(_ ids: [Int32]) -> String { wordPiece.detokenize(ids) }
    /// The token for `id`, or `nil` when out of range.
    public func idToToken(_ id: Int32) -> String? { wordPiece.idToToken(id) }
    /// The id of `token`, or `nil` when it is not in the vocabulary.
    public func tokenToId(_ token: String) -> Int32? { wordPiece.tokenToId(token) }
}
