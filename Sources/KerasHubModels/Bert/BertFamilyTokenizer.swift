import KerasHubTokenizers

/// A WordPiece tokenizer with BERT's special tokens `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]` and `[UNK]`:
/// ``BertTokenizer`` and ``DistilBertTokenizer`` (the same tokenizer under two KerasHub class names).
/// Conforming types hold a configured ``WordPieceTokenizer`` and their special ids and wrap one;
/// the protocol supplies everything else, the vocabulary initializers included.
public protocol BertFamilyTokenizer: TokenizerProtocol {
    /// The underlying WordPiece tokenizer.
    var wordPiece: WordPieceTokenizer { get }
    /// The special token ids.
    var specialIds: BertSpecialTokenIds { get }

    /// Wraps a configured `WordPieceTokenizer` (any options: accent stripping, CJK splitting…)
    /// whose vocabulary holds the five special tokens.
    ///
    /// - Throws: `TokenizerError.missingSpecialToken` when one of them is absent.
    init(wordPiece: WordPieceTokenizer) throws
}

/// The ids of BERT's special tokens in one vocabulary.
public struct BertSpecialTokenIds: Sendable, Equatable {
    /// BERT's special tokens, in the order the tokenizer lists them.
    public static let tokens = ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"]

    /// `[CLS]`, the start of every packed sequence.
    public let cls: Int32
    /// `[SEP]`, the end of every segment.
    public let sep: Int32
    /// `[PAD]`.
    public let pad: Int32
    /// `[MASK]`.
    public let mask: Int32
    /// `[UNK]`.
    public let unk: Int32

    /// Looks the special tokens up in `wordPiece`'s vocabulary.
    /// - Throws: `TokenizerError.missingSpecialToken` naming the first one absent.
    public init(_ wordPiece: WordPieceTokenizer) throws {
        var ids: [Int32] = []
        for token in Self.tokens {
            guard let id = wordPiece.tokenToId(token) else { throw TokenizerError.missingSpecialToken(token) }
            ids.append(id)
        }
        (cls, sep, pad, mask, unk) = (ids[0], ids[1], ids[2], ids[3], ids[4])
    }

    /// A WordPiece tokenizer configured as BERT's (`[UNK]` for unknown words, the five special tokens).
    static func wordPiece(
        vocabulary: [String]? = nil, vocabularyFile: String? = nil, lowercase: Bool, specialTokensInStrings: Bool, sequenceLength: Int?
    ) throws -> WordPieceTokenizer {
        if let vocabularyFile {
            return try WordPieceTokenizer(
                vocabularyFile: vocabularyFile, lowercase: lowercase, oovToken: "[UNK]", specialTokens: tokens,
                specialTokensInStrings: specialTokensInStrings, sequenceLength: sequenceLength)
        }
        return try WordPieceTokenizer(
            vocabulary: vocabulary ?? [], lowercase: lowercase, oovToken: "[UNK]", specialTokens: tokens,
            specialTokensInStrings: specialTokensInStrings, sequenceLength: sequenceLength)
    }
}

extension BertFamilyTokenizer {
    /// BERT's special tokens, in the order of `specialTokenIds`.
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

    /// Id of `[CLS]`.
    public var clsTokenId: Int32 { specialIds.cls }
    /// Id of `[SEP]`.
    public var sepTokenId: Int32 { specialIds.sep }
    /// Id of `[PAD]`.
    public var padTokenId: Int32 { specialIds.pad }
    /// Id of `[MASK]`.
    public var maskTokenId: Int32 { specialIds.mask }
    /// Id of `[UNK]`.
    public var unkTokenId: Int32 { specialIds.unk }
    /// Id placed at the start of packed sequences (`[CLS]`).
    public var startTokenId: Int32 { specialIds.cls }
    /// Id placed at the end of packed sequences (`[SEP]`).
    public var endTokenId: Int32 { specialIds.sep }
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

extension TextClassifierPreprocessor.SpecialIds {
    /// BERT's `[CLS] a [SEP] b [SEP]` with `[PAD]` and `[MASK]`.
    public init(bert tokenizer: any BertFamilyTokenizer) {
        self.init(start: tokenizer.clsTokenId, end: tokenizer.sepTokenId, pad: tokenizer.padTokenId, mask: tokenizer.maskTokenId)
    }
}

extension TextClassifierPreprocessor {
    /// A BERT-family preprocessor over `tokenizer` (KerasHub's `BertTextClassifierPreprocessor`).
    public init(
        tokenizer: any BertFamilyTokenizer, sequenceLength: Int = 512, truncate: MultiSegmentPacker.Truncation = .roundRobin,
        padToSequenceLength: Bool = false
    ) {
        self.init(
            tokenizer: tokenizer, specialIds: SpecialIds(bert: tokenizer), sequenceLength: sequenceLength, truncate: truncate,
            padToSequenceLength: padToSequenceLength)
    }
}

extension BertTokenizer: ModelTokenizer {
    /// The WordPiece tokenizer.
    public var baseTokenizer: any TokenizerProtocol { wordPiece }
}

extension DistilBertTokenizer: ModelTokenizer {
    /// The WordPiece tokenizer.
    public var baseTokenizer: any TokenizerProtocol { wordPiece }
}
