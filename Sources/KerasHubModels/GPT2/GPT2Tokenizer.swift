import KerasHubTokenizers

/// GPT-2's byte-level BPE tokenizer, as KerasHub's `GPT2Tokenizer`: a `BytePairTokenizer` whose
/// `<|endoftext|>` token is unsplittable and serves as start, end and padding token.
///
/// ```swift
/// let tokenizer = try GPT2Tokenizer(vocabularyFile: "vocab.json", mergesFile: "merges.txt")
/// tokenizer.tokenize("The quick brown fox.")  // [464, 2068, 7586, 21831, 13]
/// ```
public struct GPT2Tokenizer: TokenizerProtocol {
    /// The underlying byte-pair tokenizer.
    public let bytePair: BytePairTokenizer
    /// Id of `<|endoftext|>`.
    public let endOfTextTokenId: Int32

    /// The end-of-text token.
    public static let endOfText = "<|endoftext|>"

    /// Creates the tokenizer from a vocabulary (byte-level token -> id) and merge rules.
    ///
    /// - Throws: `TokenizerError.missingSpecialToken("<|endoftext|>")` when it is absent, and the
    ///   other errors of `BytePairTokenizer`.
    /// - Parameters:
    ///   - addPrefixSpace: prepend a space to text that does not start with one (KerasHub's and
    ///     transformers' `add_prefix_space`).
    ///   - splitPattern: GPT-2's pre-tokenizer (transformers) or Llama 3's (KerasHub).
    public init(
        vocabulary: [String: Int32], merges: [String], sequenceLength: Int? = nil, addPrefixSpace: Bool = false,
        splitPattern: BytePairTokenizer.SplitPattern = .gpt2
    ) throws {
        try self.init(bytePair: BytePairTokenizer(
            vocabulary: vocabulary, merges: merges, sequenceLength: sequenceLength, addPrefixSpace: addPrefixSpace,
            unsplittableTokens: [Self.endOfText], splitPattern: splitPattern))
    }

    /// Creates the tokenizer from `vocab.json` / `vocabulary.json` and `merges.txt` files.
    public init(
        vocabularyFile: String, mergesFile: String, sequenceLength: Int? = nil, addPrefixSpace: Bool = false,
        splitPattern: BytePairTokenizer.SplitPattern = .gpt2
    ) throws {
        try self.init(bytePair: BytePairTokenizer(
            vocabularyFile: vocabularyFile, mergesFile: mergesFile, sequenceLength: sequenceLength, addPrefixSpace: addPrefixSpace,
            unsplittableTokens: [Self.endOfText], splitPattern: splitPattern))
    }

    private init(bytePair: BytePairTokenizer) throws {
        guard let id = bytePair.tokenToId(Self.endOfText) else {
            throw TokenizerError.missingSpecialToken(Self.endOfText)
        }
        self.bytePair = bytePair
        self.endOfTextTokenId = id
    }

    /// Id placed at the start of sequences (`<|endoftext|>`).
    public var startTokenId: Int32 { endOfTextTokenId }
    /// Id placed at the end of sequences (`<|endoftext|>`).
    public var endTokenId: Int32 { endOfTextTokenId }
    /// Id used for padding (`<|endoftext|>`).
    public var padTokenId: Int32 { endOfTextTokenId }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { bytePair.vocabularySize }
    /// The special tokens.
    public var specialTokens: [String] { bytePair.specialTokens }
    /// The ids of `specialTokens`, in the same order.
    public var specialTokenIds: [Int32] { bytePair.specialTokenIds }
    /// Output length of the batch `tokenize`, or `nil` for ragged output.
    public var sequenceLength: Int? { bytePair.sequenceLength }
    /// Splits `text` into token ids (no special tokens are added).
    public func tokenize(_ text: String) -> [Int32] { bytePair.tokenize(text) }
    /// Tokenizes a batch across all cores, with the byte-pair tokenizer's per-worker cache.
    public func tokenize(_ texts: [String]) -> [[Int32]] { bytePair.tokenize(texts) }
    /// Turns token ids back into text.
    public func detokenize(_ ids: [Int32]) -> String { bytePair.detokenize(ids) }
    /// The token for `id`, or `nil` when out of range.
    public func idToToken(_ id: Int32) -> String? { bytePair.idToToken(id) }
    /// The id of `token`, or `nil` when it is not in the vocabulary.
    public func tokenToId(_ token: String) -> Int32? { bytePair.tokenToId(token) }
}

extension GPT2Tokenizer: ModelTokenizer {
    /// The byte-pair tokenizer.
    public var baseTokenizer: any TokenizerProtocol { bytePair }
}
