import Foundation
import KerasHubLayers

/// How ``GPT2CausalLM/generate(tokenIds:maxLength:stopTokenIds:sampler:seed:onStep:)`` picks each
/// next token, as KerasHub's `keras_hub.samplers`.
///
/// A sampler sees one sequence's next-token logits at a time (a row of `vocabularySize` floats) and
/// a seeded ``SplitMix64`` generator that belongs to that sequence, so sampling is reproducible run
/// to run and a sequence's draws do not depend on the other prompts of its batch. Every sampler
/// divides the logits by its ``temperature`` before the softmax (the argmax, and so greedy
/// decoding, is unchanged by it).
///
/// ``BeamSampler`` is the one sampler that is not per token: when ``numBeams`` is above 1,
/// `generate` runs a beam search and asks the sampler only for the beam step
/// (``BeamSampler``'s documentation has the exact semantics).
public protocol Sampler: Sendable {
    /// The logits are divided by this before the softmax: above 1 flattens the distribution,
    /// below 1 sharpens it. Always finite and positive.
    var temperature: Float { get }

    /// The number of beams kept per prompt: 1 for the per-token samplers.
    var numBeams: Int { get }

    /// Checks the sampler against the model it will sample from.
    /// - Throws: ``SamplerError`` when a parameter does not fit the vocabulary (such as `k` above it).
    func validate(vocabularySize: Int) throws(SamplerError)

    /// Picks the next token of one sequence from its logits over the vocabulary.
    /// - Parameters:
    ///   - logits: `vocabularySize` next-token logits (before temperature).
    ///   - generator: the sequence's random generator; deterministic samplers leave it untouched.
    func nextToken(logits: UnsafeBufferPointer<Float>, generator: inout SplitMix64) -> Int32
}

extension Sampler {
    /// One beam: per-token sampling.
    public var numBeams: Int { 1 }

    /// Nothing to check by default.
    public func validate(vocabularySize: Int) throws(SamplerError) {}
}

/// Invalid sampler parameters.
public enum SamplerError: Error, Equatable, CustomStringConvertible {
    /// The temperature is not a finite positive number.
    case invalidTemperature(sampler: String, temperature: Float)
    /// `k` is below 1.
    case invalidTopK(sampler: String, k: Int)
    /// `k` is above the model's vocabulary size.
    case topKExceedsVocabulary(sampler: String, k: Int, vocabularySize: Int)
    /// `p` is not in `(0, 1]`.
    case invalidTopP(p: Float)
    /// `numBeams` is below 1 or above ``BeamSampler/maximumNumBeams``.
    case invalidNumBeams(numBeams: Int)

    /// A message naming the sampler and the bad value.
    public var description: String {
        switch self {
        case .invalidTemperature(let sampler, let temperature):
            return "\(sampler): temperature must be a finite number above 0, got \(temperature)"
        case .invalidTopK(let sampler, let k):
            return "\(sampler): k must be at least 1, got \(k)"
        case .topKExceedsVocabulary(let sampler, let k, let vocabularySize):
            return "\(sampler): k = \(k) exceeds the vocabulary size \(vocabularySize)"
        case .invalidTopP(let p):
            return "TopPSampler: p must be in (0, 1], got \(p)"
        case .invalidNumBeams(let numBeams):
            return "BeamSampler: numBeams must be between 1 and \(BeamSampler.maximumNumBeams), got \(numBeams)"
        }
    }
}

/// The arithmetic the samplers share.
enum SamplingMath {
    /// Throws unless `temperature` is finite and positive.
    static func check(temperature: Float, sampler: String) throws(SamplerError) {
        guard temperature.isFinite, temperature > 0 else {
            throw SamplerError.invalidTemperature(sampler: sampler, temperature: temperature)
        }
    }

    /// The index of the largest logit (the first one on ties, as `torch.argmax`).
    static func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int {
        guard var bestValue = logits.first else { return 0 }
        var best = 0
        for index in logits.indices.dropFirst() where logits[index] > bestValue {
            best = index
            bestValue = logits[index]
        }
        return best
    }

    /// `exp((logit - max) / temperature)` for each of `indices`: softmax weights up to a constant,
    /// in double precision so that tiny temperatures stay finite.
    static func weights(_ logits: UnsafeBufferPointer<Float>, indices: [Int], temperature: Float) -> [Double] {
        var maximum = -Double.infinity
        for index in indices { maximum = max(maximum, Double(logits[index])) }
        let scale = 1 / Double(temperature)
        return indices.map { exp((Double(logits[$0]) - maximum) * scale) }
    }

    /// Softmax weights over the whole row, as ``weights(_:indices:temperature:)``.
    static func weights(_ logits: UnsafeBufferPointer<Float>, temperature: Float) -> [Double] {
        weights(logits, indices: Array(0..<logits.count), temperature: temperature)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    static func uniform(_ generator: inout SplitMix64) -> Double {
        Double(generator.next() >> 11) * 0x1.0p-53
    }

    /// An index drawn with probability proportional to `weights` (non-negative, positive sum).
    static func draw(_ weights: [Double], generator: inout SplitMix64) -> Int {
        let total = weights.reduce(0, +)
        let target = uniform(&generator) * total
        var cumulative = 0.0
        var lastPositive = 0
        for (index, weight) in weights.enumerated() where weight > 0 {
            cumulative += weight
            lastPositive = index
            if target < cumulative { return index }
        }
        return lastPositive  // rounding left `target` at the very top
    }

    /// The indices of the `k` largest logits, largest first (lower index first on ties).
    static func topIndices(_ logits: UnsafeBufferPointer<Float>, k: Int) -> [Int] {
        let k = min(k, logits.count)
        if k * 16 >= logits.count {
            return Array(logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }.prefix(k))
        }
        var top: [Int] = []  // kept sorted, largest first
        top.reserveCapacity(k + 1)
        for index in logits.indices {
            let value = logits[index]
            if top.count == k, let last = top.last, !(value > logits[last]) { continue }
            var position = top.count
            while position > 0, value > logits[top[position - 1]] { position -= 1 }
            top.insert(index, at: position)
            if top.count > k { top.removeLast() }
        }
        return top
    }
}
