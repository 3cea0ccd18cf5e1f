import KerasHubTensor

/// The base class of causal (next-token) language models, as KerasHub's `CausalLM`: a decoder
/// backbone whose last hidden states are projected onto the vocabulary. Generation
/// (``generate(tokenIds:maxLength:stopTokenIds:sampler:seed:onStep:)``, samplers, the decoder
/// cache, beam search) lives here; a family supplies the cache and one decoding step.
open class CausalLM: Task, @unchecked Sendable {
    /// Turns prompts into token ids and generated ids back into text; `nil` for an id-only model.
    public let preprocessor: CausalLMPreprocessor?

    /// Creates the base part of a causal LM.
    public init(backbone: Backbone, preprocessor: CausalLMPreprocessor?) {
        self.preprocessor = preprocessor
        super.init(backbone: backbone)
    }

    /// The number of token ids (the width of the logits).
    public var vocabularySize: Int { backbone.vocabularySize }

    /// An empty decoding cache for `batchSize` sequences of up to `capacity` positions.
    /// - Throws: ``TaskError/invalidConfiguration(_:)`` when a subclass does not decode incrementally.
    open func makeCache(batchSize: Int, capacity: Int) throws -> DecoderCache {
        throw TaskError.invalidConfiguration("\(type(of: self)) does not implement makeCache(batchSize:capacity:)")
    }

    /// One decoding step over the cache: the next-token logits of each of `sequences` (all when
    /// `nil`), `[sequences.count, vocabularySize]`, at its last real position of `inputs`.
    /// - Throws: ``InputError`` for bad ids or positions, ``TaskError`` when not implemented.
    open func nextTokenLogits(
        _ inputs: TokenBatch, positionIds: [Int32]? = nil, cache: inout DecoderCache, sequences: [Int]? = nil
    ) throws -> Tensor {
        throw TaskError.invalidConfiguration("\(type(of: self)) does not implement nextTokenLogits(_:positionIds:cache:sequences:)")
    }

    /// Generates text from each prompt: tokenized by the preprocessor, generated up to `maxLength`
    /// tokens in total (prompt included), stopping at the end token, and returned as text (prompt
    /// and continuation, as KerasHub's `generate`).
    /// - Throws: ``TaskError/noPreprocessor(_:)`` without a preprocessor, ``GenerationError`` or
    ///   ``SamplerError`` for bad arguments.
    public func generate(
        _ prompts: [String], maxLength: Int, sampler: any Sampler = GreedySampler(), seed: UInt64 = 0,
        onStep: ((GenerationStep) throws -> Void)? = nil
    ) throws -> [String] {
        guard let preprocessor else { throw TaskError.noPreprocessor("\(type(of: self))") }
        let generated = try generate(
            tokenIds: preprocessor.prompts(prompts), maxLength: maxLength,
            stopTokenIds: [preprocessor.endTokenId], sampler: sampler, seed: seed, onStep: onStep)
        return generated.map(preprocessor.text)
    }
}
