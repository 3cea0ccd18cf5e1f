import KerasHubLayers
import KerasHubTensor

extension CausalLM {
    /// Continues each prompt until it reaches `maxLength` tokens or emits a stop token, and returns
    /// every sequence, prompt included (a stop token is kept; nothing follows it).
    ///
    /// Prompts may have different lengths. They are right-padded into one batch and run through the
    /// model once, filling the KV cache; then each step feeds exactly one token per sequence, which
    /// each sequence places at its own next position (`positionIds`) while the cache slots of its
    /// padding stay masked out. So every sequence computes what it would alone, as transformers does
    /// for a single prompt. Only the last position of each still-generating sequence is projected
    /// onto the vocabulary. Generation ends when every sequence is finished.
    ///
    /// - Parameters:
    ///   - tokenIds: one prompt per sequence, each at least one token.
    ///   - maxLength: the total length (prompt + generated) at which a sequence stops, as KerasHub's
    ///     `max_length`; at most the model's `maxSequenceLength`. A prompt of exactly `maxLength`
    ///     tokens is returned unchanged.
    ///   - stopTokenIds: generated tokens that finish a sequence (`nil` or empty: none).
    ///   - sampler: how each next token is picked; a ``BeamSampler`` with more than one beam runs a beam search.
    ///   - seed: the seed of the random samplers. Sequence `i` draws from its own ``SplitMix64``
    ///     seeded from `(seed, i)`, so results are reproducible and do not depend on the other prompts.
    ///   - onStep: called after each step with the tokens it appended (for streaming); may throw to stop.
    /// - Throws: ``GenerationError`` or ``SamplerError`` for bad arguments, or what `onStep` throws.
    public func generate(
        tokenIds: [[Int32]], maxLength: Int, stopTokenIds: Set<Int32>? = nil,
        sampler: any Sampler = GreedySampler(), seed: UInt64 = 0,
        onStep: ((GenerationStep) throws -> Void)? = nil
    ) throws -> [[Int32]] {
        try validateGeneration(tokenIds: tokenIds, maxLength: maxLength)
        try sampler.validate(vocabularySize: vocabularySize)
        let stops = stopTokenIds ?? []
        if sampler.numBeams > 1, let beam = sampler as? BeamSampler {
            return try beamSearch(
                tokenIds: tokenIds, maxLength: maxLength, stops: stops, sampler: beam, onStep: onStep)
        }
        return try sample(
            tokenIds: tokenIds, maxLength: maxLength, stops: stops, sampler: sampler, seed: seed, onStep: onStep)
    }

    private func validateGeneration(tokenIds: [[Int32]], maxLength: Int) throws {
        guard !tokenIds.isEmpty else { throw GenerationError.emptyBatch }
        let maximum = backbone.maxSequenceLength
        guard maxLength >= 1, maxLength <= maximum else {
            throw GenerationError.maxLengthOutOfRange(maxLength: maxLength, maximum: maximum)
        }
        for (sequence, prompt) in tokenIds.enumerated() {
            guard !prompt.isEmpty else { throw GenerationError.emptyPrompt(sequence: sequence) }
            guard prompt.count <= maxLength else {
                throw GenerationError.promptTooLong(sequence: sequence, length: prompt.count, maxLength: maxLength)
            }
            for (position, id) in prompt.enumerated() where id < 0 || Int(id) >= vocabularySize {
                throw GenerationError.tokenOutOfRange(
                    sequence: sequence, position: position, id: id, vocabularySize: vocabularySize)
            }
        }
    }

    /// Runs the right-padded prompts once into a fresh cache, sized for `steps` more tokens, and
    /// returns the logits at each of `sequences`' last prompt token.
    private func prefill(_ prompts: [[Int32]], steps: Int, sequences: [Int]) throws -> (Tensor, DecoderCache) {
        let longest = prompts.map(\.count).max() ?? 0
        let batch = try TokenBatch(
            tokenIds: prompts.map { $0 + Array(repeating: 0, count: longest - $0.count) },
            paddingMask: prompts.map { Array(repeating: true, count: $0.count) + Array(repeating: false, count: longest - $0.count) })
        var cache = try makeCache(batchSize: prompts.count, capacity: longest + steps)
        let logits = try nextTokenLogits(batch, cache: &cache, sequences: sequences)
        return (logits, cache)
    }

    /// Feeds one token per row (`live` rows unmasked, at `positions`) and returns the logits of `project`.
    private func advance(
        tokens: [Int32], positions: [Int32], live: [Bool], cache: inout DecoderCache, project: [Int]
    ) throws -> Tensor {
        let batch = try TokenBatch(batchSize: tokens.count, sequenceLength: 1, tokenIds: tokens, paddingMask: live)
        return try nextTokenLogits(batch, positionIds: positions, cache: &cache, sequences: project)
    }

    /// Per-token sampling (greedy, top-k, top-p, random).
    private func sample(
        tokenIds: [[Int32]], maxLength: Int, stops: Set<Int32>, sampler: any Sampler, seed: UInt64,
        onStep: ((GenerationStep) throws -> Void)?
    ) throws -> [[Int32]] {
        var sequences = tokenIds
        var finished = sequences.map { $0.count >= maxLength }
        var generators = sequences.indices.map { SplitMix64(seed: SplitMix64.hash("generate/\(seed)/\($0)")) }
        let steps = maxLength - (sequences.map(\.count).min() ?? maxLength)
        var active = sequences.indices.filter { !finished[$0] }
        guard !active.isEmpty else { return sequences }
        var (logits, cache) = try prefill(sequences, steps: steps, sequences: active)
        let vocabulary = vocabularySize
        for step in 0... {
            var newTokens = Array(repeating: [Int32](), count: sequences.count)
            logits.withUnsafeBufferPointer { rows in
                for (row, sequence) in active.enumerated() {
                    let token = sampler.nextToken(
                        logits: UnsafeBufferPointer(rebasing: rows[(row * vocabulary)..<((row + 1) * vocabulary)]),
                        generator: &generators[sequence])
                    sequences[sequence].append(token)
                    newTokens[sequence] = [token]
                    finished[sequence] = stops.contains(token) || sequences[sequence].count >= maxLength
                }
            }
            try onStep?(GenerationStep(step: step, newTokens: newTokens, finished: finished))
            active = sequences.indices.filter { !finished[$0] }
            if active.isEmpty { break }
            logits = try advance(
                tokens: sequences.map { $0[$0.count - 1] },
                positions: sequences.map { Int32($0.count - 1) },
                live: finished.map { !$0 }, cache: &cache, project: active)
        }
        return sequences
    }

    /// Beam search, as ``BeamSampler`` documents: `numBeams` rows per prompt in the cache.
    private func beamSearch(
        tokenIds: [[Int32]], maxLength: Int, stops: Set<Int32>, sampler: BeamSampler,
        onStep: ((GenerationStep) throws -> Void)?
    ) throws -> [[Int32]] {
        let width = sampler.numBeams, count = tokenIds.count, vocabulary = vocabularySize
        var done = tokenIds.map { $0.count >= maxLength }
        let startedGroups = tokenIds.indices.filter { !done[$0] }
        guard !startedGroups.isEmpty else { return tokenIds }
        let steps = maxLength - (tokenIds.map(\.count).min() ?? maxLength)
        // beams[g * width + j], with its score and whether it emitted a stop token.
        var beams = tokenIds.flatMap { Array(repeating: $0, count: width) }
        var scores = tokenIds.indices.flatMap { _ in [0.0] + Array(repeating: -Double.infinity, count: width - 1) }
        var stopped = Array(repeating: false, count: count * width)
        var (logits, cache) = try prefill(tokenIds, steps: steps, sequences: startedGroups)
        cache = cache.gatheringSequences(tokenIds.indices.flatMap { Array(repeating: $0, count: width) })
        // Which row of `logits` holds each beam's next-token logits.
        var logitRow = [Int?](repeating: nil, count: count * width)
        for (row, group) in startedGroups.enumerated() { logitRow[group * width] = row }
        while true {
            var source = Array(0..<(count * width))
            logits.withUnsafeBufferPointer { rows in
                for group in tokenIds.indices where !done[group] {
                    let base = group * width
                    let kept = sampler.step(
                        scores: Array(scores[base..<(base + width)]), finished: Array(stopped[base..<(base + width)])
                    ) { beam in
                        let row = logitRow[base + beam] ?? 0
                        return UnsafeBufferPointer(rebasing: rows[(row * vocabulary)..<((row + 1) * vocabulary)])
                    }
                    let previous = Array(beams[base..<(base + width)])
                    let previousStopped = Array(stopped[base..<(base + width)])
                    for (slot, continuation) in kept.enumerated() {
                        source[base + slot] = base + continuation.beam
                        beams[base + slot] = previous[continuation.beam] + (continuation.token.map { [$0] } ?? [])
                        scores[base + slot] = continuation.score
                        stopped[base + slot] = previousStopped[continuation.beam]
                            || continuation.token.map { stops.contains($0) } ?? false
                    }
                    let live = (base..<(base + width)).filter { !stopped[$0] && scores[$0] > -Double.infinity }
                    done[group] = live.isEmpty || live.allSatisfy { beams[$0].count >= maxLength }
                }
            }
            if done.allSatisfy({ $0 }) { break }
            if source != Array(0..<(count * width)) { cache = cache.gatheringSequences(source) }
            let live = beams.indices.map { !done[$0 / width] && !stopped[$0] && scores[$0] > -Double.infinity }
            let project = beams.indices.filter { live[$0] }
            logitRow = Array(repeating: nil, count: count * width)
            for (row, beam) in project.enumerated() { logitRow[beam] = row }
            logits = try advance(
                tokens: beams.map { $0[$0.count - 1] }, positions: beams.map { Int32($0.count - 1) },
                live: live, cache: &cache, project: project)
        }
        let results = tokenIds.indices.map { group -> [Int32] in
            let base = group * width
            let best = (base..<(base + width)).max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) } ?? base
            return beams[best]
        }
        try onStep?(GenerationStep(
            step: 0, newTokens: zip(results, tokenIds).map { Array($0[$1.count...]) },
            finished: Array(repeating: true, count: count)))
        return results
    }
}
