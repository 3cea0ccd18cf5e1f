import KerasHubLayers

/// Always the most likely token (KerasHub's `GreedySampler`); ties go to the lowest id, as
/// `torch.argmax`. Matches transformers' `generate(do_sample=False, num_beams=1)`.
public struct GreedySampler: Sampler {
    /// Kept for symmetry with the other samplers; it cannot change the argmax.
    public let temperature: Float

    /// Creates a greedy sampler (temperature 1).
    public init() { temperature = 1 }

    /// Creates a greedy sampler with an explicit temperature (which it ignores, as KerasHub's).
    /// - Throws: ``SamplerError/invalidTemperature(sampler:temperature:)`` unless `temperature` is finite and positive.
    public init(temperature: Float) throws(SamplerError) {
        try SamplingMath.check(temperature: temperature, sampler: "GreedySampler")
        self.temperature = temperature
    }

    /// The id of the largest logit.
    public func nextToken(logits: UnsafeBufferPointer<Float>, generator: inout SplitMix64) -> Int32 {
        Int32(SamplingMath.argmax(logits))
    }
}
