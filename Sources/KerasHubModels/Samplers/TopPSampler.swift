import KerasHubLayers

/// Nucleus sampling (KerasHub's `TopPSampler`): a token drawn from the smallest set of most likely
/// tokens whose probabilities sum past `p`, renormalised.
///
/// Exactly KerasHub's rule: sort the tempered probabilities in descending order (optionally only
/// the top `k` first), and keep token `i` of that order when `i == 0` or the cumulative probability
/// of tokens `0 ..< i` is at most `p`; so the token that crosses `p` is included.
public struct TopPSampler: Sampler {
    /// The probability mass to keep, in `(0, 1]`.
    public let p: Float
    /// An optional top-k cut applied before the nucleus (KerasHub's speed heuristic).
    public let k: Int?
    /// The softmax temperature.
    public let temperature: Float

    /// Creates a top-p sampler.
    /// - Throws: ``SamplerError`` when `p` is outside `(0, 1]`, `k < 1`, or the temperature is not finite and positive.
    public init(p: Float = 0.1, k: Int? = nil, temperature: Float = 1) throws(SamplerError) {
        guard p.isFinite, p > 0, p <= 1 else { throw SamplerError.invalidTopP(p: p) }
        if let k, k < 1 { throw SamplerError.invalidTopK(sampler: "TopPSampler", k: k) }
        try SamplingMath.check(temperature: temperature, sampler: "TopPSampler")
        self.p = p
        self.k = k
        self.temperature = temperature
    }

    /// Throws when `k` exceeds the vocabulary.
    public func validate(vocabularySize: Int) throws(SamplerError) {
        if let k, k > vocabularySize {
            throw SamplerError.topKExceedsVocabulary(sampler: "TopPSampler", k: k, vocabularySize: vocabularySize)
        }
    }

    /// The tokens kept from `logits` and their unnormalised weights, most likely first.
    func nucleus(_ logits: UnsafeBufferPointer<Float>) -> (indices: [Int], weights: [Double]) {
        // KerasHub's cumulative sum is of the full-vocabulary probabilities, even after a top-k cut.
        let all = SamplingMath.weights(logits, temperature: temperature)
        let normaliser = all.reduce(0, +)
        let sorted = SamplingMath.topIndices(logits, k: k ?? logits.count)
        var kept: [Int] = []
        var weights: [Double] = []
        var cumulative = 0.0
        for index in sorted {
            if !kept.isEmpty && cumulative > Double(p) { break }
            kept.append(index)
            weights.append(all[index])
            cumulative += all[index] / normaliser
        }
        return (kept, weights)
    }

    /// A draw from the renormalised nucleus.
    public func nextToken(logits: UnsafeBufferPointer<Float>, generator: inout SplitMix64) -> Int32 {
        let (indices, weights) = nucleus(logits)
        return Int32(indices[SamplingMath.draw(weights, generator: &generator)])
    }
}
