import Foundation
import KerasHubLayers

/// Beam search (KerasHub's `BeamSampler`): for each prompt, keep the `numBeams` continuations of
/// highest cumulative log-probability; at each step extend every kept beam by every token and keep
/// the `numBeams` best of those `numBeams * vocabularySize` candidates; return the best beam.
///
/// Semantics, exactly:
/// - scores are sums of `log_softmax(logits / temperature)` over the generated tokens (no length
///   penalty; all beams of a prompt have the same length);
/// - the first step extends only the prompt itself (the other beams start at minus infinity, as
///   KerasHub's `-1e9` and transformers' initial beam scores);
/// - without stop tokens, this is transformers' `generate(num_beams=n, do_sample=False)` for any
///   `length_penalty` and `early_stopping` (these act only on finished hypotheses), which the
///   generation fixtures check;
/// - with stop tokens, a beam that emits one is finished: it keeps its slot and its score, competes
///   with the live beams' candidates at every later step, and is returned truncated after its stop
///   token if it scores best. (transformers instead sets finished hypotheses aside with a length
///   penalty; KerasHub keeps extending them. Neither is reproduced here.) A prompt's search ends
///   when all its beams are finished or at `maxLength`.
public struct BeamSampler: Sampler {
    /// The number of beams kept per prompt.
    public let numBeams: Int
    /// The most beams a search keeps per prompt (each step scores `numBeams x vocabulary` candidates
    /// and caches `numBeams` sequences, so the count bounds time and memory).
    public static let maximumNumBeams = 1024
    /// The softmax temperature of the log-probabilities.
    public let temperature: Float

    /// Creates a beam sampler.
    /// - Throws: ``SamplerError`` when `numBeams` is not in `1...maximumNumBeams` or the temperature
    ///   is not finite and positive.
    public init(numBeams: Int = 5, temperature: Float = 1) throws(SamplerError) {
        guard (1...Self.maximumNumBeams).contains(numBeams) else { throw SamplerError.invalidNumBeams(numBeams: numBeams) }
        try SamplingMath.check(temperature: temperature, sampler: "BeamSampler")
        self.numBeams = numBeams
        self.temperature = temperature
    }

    /// A single beam is greedy search: the id of the largest logit.
    public func nextToken(logits: UnsafeBufferPointer<Float>, generator: inout SplitMix64) -> Int32 {
        Int32(SamplingMath.argmax(logits))
    }

    /// One kept continuation: which beam it extends, the token it adds (`nil` when the beam was
    /// already finished and is carried over unchanged), and its cumulative score.
    struct Continuation: Equatable {
        var beam: Int
        var token: Int32?
        var score: Double
    }

    /// `log_softmax(logits / temperature)` of one row, in double precision.
    func logProbabilities(_ logits: UnsafeBufferPointer<Float>) -> [Double] {
        let scale = 1 / Double(temperature)
        var maximum = -Double.infinity
        for value in logits { maximum = max(maximum, Double(value) * scale) }
        var sum = 0.0
        for value in logits { sum += exp(Double(value) * scale - maximum) }
        let shift = maximum + log(sum)
        return logits.map { Double($0) * scale - shift }
    }

    /// One beam step for one prompt: the `numBeams` best continuations, best first (on equal
    /// scores, the lower beam, then the lower token).
    /// - Parameters:
    ///   - scores: each beam's cumulative score (`-infinity` for beams not started yet).
    ///   - finished: whether each beam has emitted a stop token.
    ///   - logits: the next-token logits of each beam (ignored for finished beams).
    func step(scores: [Double], finished: [Bool], logits: (Int) -> UnsafeBufferPointer<Float>) -> [Continuation] {
        var best: [Continuation] = []  // sorted, best first
        best.reserveCapacity(numBeams + 1)
        func offer(_ candidate: Continuation) {
            if best.count == numBeams, let last = best.last, !(candidate.score > last.score) { return }
            var position = best.count
            while position > 0, candidate.score > best[position - 1].score { position -= 1 }
            best.insert(candidate, at: position)
            if best.count > numBeams { best.removeLast() }
        }
        for beam in scores.indices where scores[beam] > -Double.infinity {
            if finished[beam] {
                offer(Continuation(beam: beam, token: nil, score: scores[beam]))
                continue
            }
            let logProbabilities = logProbabilities(logits(beam))
            for (token, value) in logProbabilities.enumerated() {
                offer(Continuation(beam: beam, token: Int32(token), score: scores[beam] + value))
            }
        }
        return best
    }
}
