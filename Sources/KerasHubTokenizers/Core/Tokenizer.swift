/// Any tokenizer, behind one concrete type: the result of `Tokenizer.fromPreset(_:)`, whose class
/// the preset decides (a `BertTokenizer`, a `GPT2Tokenizer`, a `SentencePieceTokenizer`…).
///
/// ```swift
/// let tokenizer = try Tokenizer.fromPreset("gpt2_base_en")
/// tokenizer.tokenize("The quick brown fox.")          // [464, 2068, 7586, 21831, 13]
/// let gpt2 = tokenizer.base as? GPT2Tokenizer         // the concrete tokenizer, when needed
/// ```
public struct Tokenizer: TokenizerProtocol {
    /// The wrapped tokenizer.
    public let base: any TokenizerProtocol

    /// Wraps a tokenizer (wrapping a ``Tokenizer`` again keeps the inner one).
    public init(_ base: any TokenizerProtocol) {
        self.base = (base as? Tokenizer)?.base ?? base
    }

    /// Splits `text` into token ids.
    public func tokenize(_ text: String) -> [Int32] { base.tokenize(text) }
    /// Tokenizes a batch, across all cores (padded or truncated to `sequenceLength` when set).
    public func tokenize(_ texts: [String]) -> [[Int32]] { base.tokenize(texts) }
    /// Turns token ids back into text.
    public func detokenize(_ ids: [Int32]) -> String { base.detokenize(ids) }
    /// The number of ids in the vocabulary.
    public var vocabularySize: Int { base.vocabularySize }
    /// The token string for `id`.
    public func idToToken(_ id: Int32) -> String? { base.idToToken(id) }
    /// The id of `token`.
    public func tokenToId(_ token: String) -> Int32? { base.tokenToId(token) }
    /// The special tokens.
    public var specialTokens: [String] { base.specialTokens }
    /// The ids of the special tokens.
    public var specialTokenIds: [Int32] { base.specialTokenIds }
    /// The batch output length, when set.
    public var sequenceLength: Int? { base.sequenceLength }
}
