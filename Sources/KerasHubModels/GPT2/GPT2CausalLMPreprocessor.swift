/// GPT-2's prompt preprocessor, as KerasHub's `GPT2CausalLMPreprocessor`: a ``CausalLMPreprocessor``
/// whose start, end and padding token is `<|endoftext|>`.
public typealias GPT2CausalLMPreprocessor = CausalLMPreprocessor

extension CausalLMPreprocessor {
    /// GPT-2's preprocessor over `tokenizer` (`<|endoftext|>` starts prompts and ends generations).
    public init(tokenizer: GPT2Tokenizer, addStartToken: Bool = true) {
        self.init(
            tokenizer: tokenizer, startTokenId: tokenizer.endOfTextTokenId, endTokenId: tokenizer.endOfTextTokenId,
            addStartToken: addStartToken)
    }
}
