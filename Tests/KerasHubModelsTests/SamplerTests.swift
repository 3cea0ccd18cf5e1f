import Foundation
import KerasHubLayers
@testable import KerasHubModels
import Testing

/// The samplers on fixed logits: the support of each distribution and its frequencies.
@Suite struct SamplerTests {
    /// Distinct logits for 12 tokens, in no particular order.
    static let logits: [Float] = [0.3, 2.1, -1.0, 1.4, 0.0, 2.6, -0.4, 1.9, 0.9, -2.2, 1.1, 0.6]
    static let draws = 60_000

    static func softmax(_ logits: [Float], temperature: Float = 1) -> [Double] {
        let maximum = Double(logits.max() ?? 0)
        let weights = logits.map { exp((Double($0) - maximum) / Double(temperature)) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// Draws `count` tokens and returns their frequencies.
    static func frequencies(_ sampler: any Sampler, logits: [Float] = logits, count: Int = draws, seed: UInt64 = 1) -> [Double] {
        var generator = SplitMix64(seed: seed)
        var counts = Array(repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { row in
            for _ in 0..<count { counts[Int(sampler.nextToken(logits: row, generator: &generator))] += 1 }
        }
        return counts.map { Double($0) / Double(count) }
    }

    /// Every frequency within five standard errors (plus a little) of its probability.
    static func expectClose(_ observed: [Double], _ expected: [Double], _ label: String) {
        for (token, (frequency, probability)) in zip(observed, expected).enumerated() {
            let bound = 5 * (probability * (1 - probability) / Double(draws)).squareRoot() + 1e-3
            #expect(abs(frequency - probability) <= bound, "\(label): token \(token) drawn \(frequency), expected \(probability)")
        }
    }

    /// The ids of the `k` largest logits.
    static func top(_ k: Int, _ logits: [Float] = logits) -> Set<Int> {
        Set(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(k))
    }

    @Test func greedyTakesTheFirstLargestLogit() throws {
        var generator = SplitMix64(seed: 0)
        let sampler = GreedySampler()
        for (values, expected) in [(Self.logits, 5), ([1, 3, 3, 2] as [Float], 1), ([-5] as [Float], 0)] {
            let token = values.withUnsafeBufferPointer { sampler.nextToken(logits: $0, generator: &generator) }
            #expect(token == Int32(expected))
        }
    }

    @Test(arguments: [Float(1), 0.6, 2.5])
    func randomSamplerFollowsTheTemperedSoftmax(temperature: Float) throws {
        let observed = Self.frequencies(try RandomSampler(temperature: temperature))
        Self.expectClose(observed, Self.softmax(Self.logits, temperature: temperature), "random T=\(temperature)")
    }

    @Test(arguments: [1, 3, 5])
    func topKNeverLeavesTheTopKAndRenormalises(k: Int) throws {
        for temperature: Float in [1, 0.5] {
            let observed = Self.frequencies(try TopKSampler(k: k, temperature: temperature))
            let kept = Self.top(k)
            let probabilities = Self.softmax(Self.logits, temperature: temperature)
            let mass = kept.reduce(0) { $0 + probabilities[$1] }
            let expected = probabilities.indices.map { kept.contains($0) ? probabilities[$0] / mass : 0 }
            for token in observed.indices where !kept.contains(token) {
                #expect(observed[token] == 0, "top-\(k): token \(token) is outside the top k")
            }
            Self.expectClose(observed, expected, "top-\(k) T=\(temperature)")
        }
    }

    /// KerasHub's nucleus: sorted probabilities, keep token i when the mass before it is <= p.
    static func nucleus(_ probabilities: [Double], p: Double) -> Set<Int> {
        var kept = Set<Int>()
        var before = 0.0
        for token in probabilities.indices.sorted(by: { probabilities[$0] > probabilities[$1] }) {
            if !kept.isEmpty && before > p { break }
            kept.insert(token)
            before += probabilities[token]
        }
        return kept
    }

    @Test(arguments: [Float(0.05), 0.3, 0.6, 0.9, 1])
    func topPNeverLeavesTheNucleusAndRenormalises(p: Float) throws {
        let probabilities = Self.softmax(Self.logits)
        let kept = Self.nucleus(probabilities, p: Double(p))
        let observed = Self.frequencies(try TopPSampler(p: p))
        let mass = kept.reduce(0) { $0 + probabilities[$1] }
        let expected = probabilities.indices.map { kept.contains($0) ? probabilities[$0] / mass : 0 }
        for token in observed.indices where !kept.contains(token) {
            #expect(observed[token] == 0, "top-p \(p): token \(token) is outside the nucleus")
        }
        Self.expectClose(observed, expected, "top-p \(p)")
    }

    @Test func topPIncludesTheTokenThatCrossesP() throws {
        // Probabilities 0.5, 0.3, 0.15, 0.05: p = 0.6 keeps the first two (0.5 <= 0.6, then 0.8 > 0.6).
        let logits = [0.5, 0.3, 0.15, 0.05].map { Float(log($0)) }
        let sampler = try TopPSampler(p: 0.6)
        let kept = logits.withUnsafeBufferPointer { sampler.nucleus($0).indices }
        #expect(kept == [0, 1])
        // The smallest p still keeps the most likely token.
        let tiny = try TopPSampler(p: 1e-6)
        #expect(logits.withUnsafeBufferPointer { tiny.nucleus($0).indices } == [0])
    }

    @Test func topPWithTopKCutsBothWays() throws {
        // Full-vocabulary probabilities drive the cumulative sum, as KerasHub; k caps the candidates.
        let probabilities = Self.softmax(Self.logits)
        let sampler = try TopPSampler(p: 0.9, k: 2)
        let observed = Self.frequencies(sampler)
        let kept = Self.top(2)
        #expect(Self.nucleus(probabilities, p: 0.9).isSuperset(of: kept))
        let mass = kept.reduce(0) { $0 + probabilities[$1] }
        Self.expectClose(observed, probabilities.indices.map { kept.contains($0) ? probabilities[$0] / mass : 0 }, "top-p k=2")
    }

    @Test func samplingIsReproducibleFromTheSeed() throws {
        let sampler = try TopKSampler(k: 6)
        func sequence(_ seed: UInt64) -> [Int32] {
            var generator = SplitMix64(seed: seed)
            return Self.logits.withUnsafeBufferPointer { row in (0..<200).map { _ in sampler.nextToken(logits: row, generator: &generator) } }
        }
        #expect(sequence(42) == sequence(42))
        #expect(sequence(42) != sequence(43))
    }

    @Test func beamStepKeepsTheBestCandidates() throws {
        let sampler = try BeamSampler(numBeams: 2)
        let rows: [[Float]] = [[0, 1, 3], [2, 2, 0]]
        let scores = [-1.0, -1.5]
        let kept = rows[0].withUnsafeBufferPointer { first in
            rows[1].withUnsafeBufferPointer { second in
                sampler.step(scores: scores, finished: [false, false]) { $0 == 0 ? first : second }
            }
        }
        // Every candidate's score, by hand.
        var candidates: [(Int, Int32, Double)] = []
        for beam in 0..<2 {
            let logProbabilities = Self.softmax(rows[beam]).map { log($0) }
            for token in 0..<3 { candidates.append((beam, Int32(token), scores[beam] + logProbabilities[token])) }
        }
        let expected = candidates.sorted { $0.2 > $1.2 }.prefix(2)
        #expect(kept.map(\.beam) == expected.map(\.0))
        #expect(kept.map(\.token) == expected.map(\.1))
        for (ours, theirs) in zip(kept, expected) { #expect(abs(ours.score - theirs.2) < 1e-12) }
        // A finished beam keeps its slot and score; unstarted beams (-infinity) are never extended.
        let carried = rows[0].withUnsafeBufferPointer { first in
            sampler.step(scores: [-0.1, -.infinity], finished: [true, false]) { _ in first }
        }
        #expect(carried.first == BeamSampler.Continuation(beam: 0, token: nil, score: -0.1))
        #expect(carried.count == 1)
    }

    @Test func invalidParametersThrowTypedErrors() {
        #expect(throws: SamplerError.invalidTopK(sampler: "TopKSampler", k: 0)) { try TopKSampler(k: 0) }
        #expect(throws: SamplerError.invalidTopK(sampler: "TopPSampler", k: -1)) { try TopPSampler(p: 0.5, k: -1) }
        for p: Float in [0, -0.1, 1.01, .nan, .infinity] {
            #expect(throws: SamplerError.self) { try TopPSampler(p: p) }
        }
        for temperature: Float in [0, -1, .nan, .infinity] {
            #expect(throws: SamplerError.self) { try RandomSampler(temperature: temperature) }
            #expect(throws: SamplerError.self) { try TopKSampler(k: 3, temperature: temperature) }
            #expect(throws: SamplerError.self) { try GreedySampler(temperature: temperature) }
            #expect(throws: SamplerError.self) { try BeamSampler(numBeams: 2, temperature: temperature) }
        }
        #expect(throws: SamplerError.invalidNumBeams(numBeams: 0)) { try BeamSampler(numBeams: 0) }
        #expect(SamplerError.invalidTopP(p: 2).description.contains("TopPSampler"))
    }
}
