import KerasHubLayers

/// A token drawn from the `k` most likely ones, with their probabilities renormalised
/// (KerasHub's `TopKSampler`). Tokens outside the top `k` are never drawn.
public struct TopKSampler: Sampler {
    /// How many of the most likely tokens to draw from.
    public let k: Int
    /// The softmax temperature.
    public let temperature: Float

    /// Creates a top-k sampler.
    /// - Throws: ``SamplerError`` when `k < 1` or the temperature is not finite and positive.
    public init(k: Int = 5, temperature: Float = 1) throws(SamplerError) {
        guard k >= 1 else { throw SamplerError.invalidTopK(sampler: "TopKSampler", k: k) }
        try SamplingMath.check(temperature: temperature, sampler: "TopKSampler")
        self.k = k
        self.temperature = temperature
    }

    /// Throws when `k` exceeds the vocabulary.
    public func validate(vocabularySize: Int) throws(SamplerError) {
        guard k <= vocabularySize else {
            throw SamplerError.topKExceedsVocabulary(sampler: "TopKSampler", k: k, vocabularySize: vocabularySize)
        }
    }

    /// A draw from the renormalised top `k`.
    public func nextToken(logits: UnsafeBufferPointer<Float>, generator: inout SplitMix64) -> Int32 {
        let top = SamplingMath.topIndices(logits, k: k)
        let weights = SamplingMath.weights(logits, indices: top, temperature: temperature)
        return Int32(top[SamplingMath.draw(weights, generator: &generator)])
    }
}
