import KerasHubTokenizers

/// Prompts to token ids and generations back to text for a ``CausalLM``, as KerasHub's
/// `CausalLMPreprocessor`: the prompt is tokenized and, with `addStartToken` (KerasHub's default),
/// prefixed by the start token; generated text drops the start, end and padding tokens.
public struct CausalLMPreprocessor: Sendable {
    /// The tokenizer.
    public let tokenizer: any TokenizerProtocol
    /// The id put before each prompt.
    public let startTokenId: Int32
    /// The id that ends a generation.
    public let endTokenId: Int32
    /// Ids dropped from generated text (start, end, padding).
    public let specialTokenIds: Set<Int32>
    /// Whether prompts start with `startTokenId`.
    public let addStartToken: Bool

    /// Creates a preprocessor.
    public init(
        tokenizer: any TokenizerProtocol, startTokenId: Int32, endTokenId: Int32, padTokenId: Int32? = nil,
        addStartToken: Bool = true
    ) {
        self.tokenizer = tokenizer
        self.startTokenId = startTokenId
        self.endTokenId = endTokenId
        self.specialTokenIds = Set([startTokenId, endTokenId] + (padTokenId.map { [$0] } ?? []))
        self.addStartToken = addStartToken
    }

    /// The token ids of each prompt.
    public func prompts(_ texts: [String]) -> [[Int32]] {
        tokenizer.tokenize(texts).map { addStartToken ? [startTokenId] + $0 : $0 }
    }

    /// Text of generated ids, without the special tokens (KerasHub's `generate_postprocess`).
    public func text(_ ids: [Int32]) -> String {
        tokenizer.detokenize(ids.filter { !specialTokenIds.contains($0) })
    }
}
