import KerasHubLayers

/// A token drawn from the whole distribution `softmax(logits / temperature)` (KerasHub's
/// `RandomSampler`).
public struct RandomSampler: Sampler {
    /// The softmax temperature.
    public let temperature: Float

    /// Creates a random sampler.
    /// - Throws: ``SamplerError/invalidTemperature(sampler:temperature:)`` unless `temperature` is finite and positive.
    public init(temperature: Float = 1) throws(SamplerError) {
        try SamplingMath.check(temperature: temperature, sampler: "RandomSampler")
        self.temperature = temperature
    }

    /// A draw from the tempered softmax.
    public func nextToken(logits: UnsafeBufferPointer<Float>, generator: inout SplitMix64) -> Int32 {
        Int32(SamplingMath.draw(SamplingMath.weights(logits, temperature: temperature), generator: &generator))
    }
}
