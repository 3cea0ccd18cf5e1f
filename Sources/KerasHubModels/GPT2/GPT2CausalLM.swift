import KerasHubLayers
import KerasHubTensor

/// GPT-2 with its language-model head (KerasHub's `GPT2CausalLM`, transformers' `GPT2LMHeadModel`):
/// next-token logits from the backbone's final hidden states projected onto the token embedding
/// table (the head is tied, so it has no weights of its own).
///
/// Load a transformers `GPT2LMHeadModel` checkpoint by building the backbone from
/// ``GPT2Checkpoint/transformersMapping(_:origin:)`` (its `lm_head.weight`, when saved at all, is the
/// token embedding and is ignored). Generation is in ``generate(tokenIds:maxLength:stopTokenIds:sampler:seed:onStep:)``.
public final class GPT2CausalLM: CausalLM, @unchecked Sendable {
    /// The backbone, typed.
    public let gpt2Backbone: GPT2Backbone

    /// Puts the tied head on `backbone`.
    public init(backbone: GPT2Backbone, preprocessor: GPT2CausalLMPreprocessor? = nil) {
        gpt2Backbone = backbone
        super.init(backbone: backbone, preprocessor: preprocessor)
    }

    /// Builds the backbone from a config and weights (our preset names) and puts the head on it.
    /// - Throws: ``WeightError`` for a missing, misshapen or unused tensor.
    public convenience init(config: GPT2BackboneConfig, weights: WeightSource) throws {
        self.init(backbone: try GPT2Backbone(config: config, weights: weights))
    }

    /// An empty decoding cache of `capacity` positions (generation sizes it to the prompt plus the
    /// steps; the last generated token is never fed back, so this may exceed the position table by one).
    public override func makeCache(batchSize: Int, capacity: Int) throws -> DecoderCache {
        let config = gpt2Backbone.config
        return try DecoderCache.checked(numLayers: config.numLayers, batchSize: batchSize, capacity: capacity, hiddenDim: config.hiddenDim)
    }

    /// Logits for every position, `[batch, length, vocabularySize]` (rows at padding positions are
    /// computed but meaningless). For scoring whole sequences; generation projects only the last position.
    /// - Throws: ``InputError`` for ids outside the vocabulary or sequences longer than `maxSequenceLength`.
    public func logits(_ inputs: TokenBatch) throws -> Tensor {
        try gpt2Backbone.tokenEmbedding.reverse(gpt2Backbone(inputs).sequenceOutput)
    }

    /// One decoding step over the KV cache: runs `inputs` as the next positions after those in
    /// `cache` (see ``GPT2Backbone/callAsFunction(_:positionIds:cache:)``) and returns the
    /// next-token logits of each sequence, `[sequences.count, vocabularySize]`, taken at the
    /// sequence's last real (unmasked) position of `inputs` (its last position if none is real).
    ///
    /// Only those rows are projected onto the vocabulary, never the whole `[length, vocabularySize]`.
    /// - Parameter sequences: which sequences to project, in the order of the result rows;
    ///   `nil` for all of them.
    /// - Throws: ``InputError`` for bad ids, positions or sequence indices, or a full cache.
    public override func nextTokenLogits(
        _ inputs: TokenBatch, positionIds: [Int32]? = nil, cache: inout DecoderCache, sequences: [Int]? = nil
    ) throws -> Tensor {
        let hidden = try gpt2Backbone(inputs, positionIds: positionIds, cache: &cache).sequenceOutput
        let batch = inputs.batchSize, length = inputs.sequenceLength
        let selected = sequences ?? Array(0..<batch)
        var rows: [Int32] = []
        rows.reserveCapacity(selected.count)
        for sequence in selected {
            guard (0..<batch).contains(sequence) else {
                throw InputError.idOutOfRange(input: "sequences", id: sequence, row: 0, position: 0, bound: batch)
            }
            let mask = inputs.paddingMask[(sequence * length)..<((sequence + 1) * length)]
            let last = mask.lastIndex(of: true).map { $0 - sequence * length } ?? length - 1
            rows.append(Int32(sequence * length + last))
        }
        let width = gpt2Backbone.config.hiddenDim
        let flat = try hidden.reshaped([batch * length, width])
        return try gpt2Backbone.tokenEmbedding.reverse(flat.gatherRows(rows))
    }
}
