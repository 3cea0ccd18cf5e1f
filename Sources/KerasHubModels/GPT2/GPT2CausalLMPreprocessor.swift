/// Prompts to token ids and generations back to text for ``GPT2CausalLM``, as KerasHub's
/// `GPT2CausalLMPreprocessor`: the prompt is tokenized and, with `addStartToken` (KerasHub's
/// default), prefixed by `<|endoftext|>`; generated text drops the start, end and padding tokens.
public struct GPT2CausalLMPreprocessor: Sendable {
    /// The tokenizer.
    public let tokenizer: GPT2Tokenizer
    /// Whether prompts start with `<|endoftext|>`.
    public let addStartToken: Bool

    /// Creates a preprocessor.
    public init(tokenizer: GPT2Tokenizer, addStartToken: Bool = true) {
        self.tokenizer = tokenizer
        self.addStartToken = addStartToken
    }

    /// The token ids of each prompt.
    public func prompts(_ texts: [String]) -> [[Int32]] {
        tokenizer.tokenize(texts).map { addStartToken ? [tokenizer.startTokenId] + $0 : $0 }
    }

    /// Text of generated ids, without the special tokens (KerasHub's `generate_postprocess`).
    public func text(_ ids: [Int32]) -> String {
        tokenizer.detokenize(ids.filter { $0 != tokenizer.endOfTextTokenId })
    }
}

extension GPT2CausalLM {
    /// Generates text from each prompt: tokenized by the preprocessor, generated up to `maxLength`
    /// tokens in total (prompt included), stopping at `<|endoftext|>`, and returned as text
    /// (prompt and continuation, as KerasHub's `generate`).
    /// - Throws: ``TaskError/noPreprocessor(_:)`` without a preprocessor, ``GenerationError`` or
    ///   ``SamplerError`` for bad arguments.
    public func generate(
        _ prompts: [String], maxLength: Int, sampler: any Sampler = GreedySampler(), seed: UInt64 = 0,
        onStep: ((GenerationStep) throws -> Void)? = nil
    ) throws -> [String] {
        guard let preprocessor else { throw TaskError.noPreprocessor("GPT2CausalLM") }
        let generated = try generate(
            tokenIds: preprocessor.prompts(prompts), maxLength: maxLength,
            stopTokenIds: [preprocessor.tokenizer.endOfTextTokenId], sampler: sampler, seed: seed, onStep: onStep)
        return generated.map(preprocessor.text)
    }
}
