import Foundation
import Testing
@testable import KerasHubModels

/// transformers' generation outputs for the gpt2_lm checkpoint (Tools/make_generation_fixtures.py).
struct GenerationFixture: Decodable {
    struct Run: Decodable {
        var prompt: [Int32]
        var maxLength: Int
        var output: [Int32]
        var numBeams: Int?
        var stopTokenIds: [Int32]?

        enum CodingKeys: String, CodingKey {
            case prompt, output, maxLength = "max_length", numBeams = "num_beams", stopTokenIds = "stop_token_ids"
        }
    }
    struct Logits: Decodable {
        var prompt: [Int32]
        var lastPosition: [Float]
        enum CodingKeys: String, CodingKey { case prompt, lastPosition = "last_position" }
    }
    var greedy: [Run]
    var beam: [Run]
    var stop: [Run]
    var logits: Logits

    static func load() throws -> GenerationFixture {
        let url = try ModelFixture.root.appendingPathComponent("generation/gpt2_lm.json")
        return try JSONDecoder().decode(GenerationFixture.self, from: Data(contentsOf: url))
    }
}

/// `GPT2CausalLM`: logits and generation against transformers on the gpt2_lm fixture.
@Suite struct GenerationTests {
    static let tolerance: Float = 1e-4

    static func model() throws -> GPT2CausalLM {
        let backbone = try #require(try ModelFixture("gpt2_lm").backbone() as? GPT2Backbone)
        return GPT2CausalLM(backbone: backbone)
    }

    // MARK: logits

    @Test func logitsMatchTransformersOnEveryFixtureCase() throws {
        let fixture = try ModelFixture("gpt2_lm")
        let model = try Self.model()
        for (index, testCase) in fixture.cases.enumerated() {
            let logits = try model.logits(testCase.batch())
            #expect(logits.shape == [testCase.inputIds.count, testCase.inputIds[0].count, 160])
            let difference = maxDifference(logits, try fixture.expectedTensor(index, "logits"), mask: testCase.attentionMask)
            #expect(difference <= Self.tolerance, "\(testCase.name): max |diff| \(difference)")
        }
    }

    @Test func lastPositionLogitsMatchTransformersWithAndWithoutCache() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let prompt = fixture.logits.prompt
        let full = try model.logits(TokenBatch(tokenIds: [prompt]))
        var cache = model.gpt2Backbone.makeCache(batchSize: 1, capacity: prompt.count)
        let next = try model.nextTokenLogits(TokenBatch(tokenIds: [prompt]), cache: &cache)
        #expect(next.shape == [1, 160])
        for token in 0..<160 {
            let expected = fixture.logits.lastPosition[token]
            #expect(abs(full[0, prompt.count - 1, token] - expected) <= Self.tolerance, "full pass, token \(token)")
            #expect(abs(next[0, token] - expected) <= Self.tolerance, "cached step, token \(token)")
        }
    }

    // MARK: greedy

    @Test func greedyMatchesTransformersForEachPrompt() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        #expect(fixture.greedy.map(\.prompt.count) == [1, 3, 7, 12])
        for run in fixture.greedy {
            let output = try model.generate(tokenIds: [run.prompt], maxLength: run.maxLength)
            #expect(output == [run.output], "prompt of \(run.prompt.count) tokens")
        }
    }

    @Test func greedyMatchesTransformersAsOneRaggedBatch() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let runs = fixture.greedy
        let maxLength = runs[0].maxLength
        #expect(try model.generate(tokenIds: runs.map(\.prompt), maxLength: maxLength) == runs.map(\.output))
        // Another order, with a repeat, and a shorter maxLength: greedy outputs are then prefixes.
        let order = [3, 0, 2, 0, 1]
        let shorter = 16
        let output = try model.generate(tokenIds: order.map { runs[$0].prompt }, maxLength: shorter)
        #expect(output == order.map { Array(runs[$0].output.prefix(shorter)) })
    }

    @Test func promptAlreadyAtMaxLengthIsReturnedUnchanged() throws {
        let model = try Self.model()
        let prompts: [[Int32]] = [[5, 6, 7, 8], [9, 10]]
        let output = try model.generate(tokenIds: prompts, maxLength: 4)
        #expect(output[0] == prompts[0])
        #expect(output[1].count == 4 && Array(output[1].prefix(2)) == prompts[1])
        #expect(try model.generate(tokenIds: [[5, 6, 7, 8]], maxLength: 4) == [[5, 6, 7, 8]])
    }

    @Test func beamSearchLeavesFullPromptsAloneAndSearchesTheOthers() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let run = try #require(fixture.beam.first { $0.numBeams == 3 && $0.prompt.count == 7 })
        let full: [Int32] = Array(1...20)
        let output = try model.generate(tokenIds: [full, run.prompt, full], maxLength: run.maxLength, sampler: BeamSampler(numBeams: 3))
        #expect(output == [full, run.output, full])
    }

    /// The step function projects only the requested rows, at each sequence's last real token.
    @Test func nextTokenLogitsProjectsTheLastRealPositionOfSelectedSequences() throws {
        let fixture = try ModelFixture("gpt2_lm")
        let model = try Self.model()
        let index = try #require(fixture.cases.firstIndex { $0.name == "b3_right_padded" })
        let testCase = fixture.cases[index]
        let expected = try fixture.expectedTensor(index, "logits")
        var cache = model.gpt2Backbone.makeCache(batchSize: 3, capacity: testCase.inputIds[0].count)
        let logits = try model.nextTokenLogits(testCase.batch(), cache: &cache, sequences: [2, 0])
        #expect(logits.shape == [2, 160])
        for (row, sequence) in [2, 0].enumerated() {
            let last = testCase.attentionMask[sequence].lastIndex(of: 1) ?? 0
            for token in 0..<160 {
                #expect(abs(logits[row, token] - expected[sequence, last, token]) <= Self.tolerance)
            }
        }
        #expect(throws: InputError.self) {
            var other = model.gpt2Backbone.makeCache(batchSize: 3, capacity: 16)
            _ = try model.nextTokenLogits(testCase.batch(), cache: &other, sequences: [3])
        }
    }

    /// Gathering cache rows (beam search's reordering) continues each gathered sequence exactly.
    @Test func gatheredCacheContinuesTheGatheredSequences() throws {
        let model = try Self.model()
        let prompts: [[Int32]] = [[5, 6, 7], [8, 9, 10], [11, 12, 13]]
        var cache = model.gpt2Backbone.makeCache(batchSize: 3, capacity: 8)
        _ = try model.nextTokenLogits(TokenBatch(tokenIds: prompts), cache: &cache)
        let order = [2, 2, 0]
        var gathered = cache.gatheringSequences(order)
        #expect(gathered.batchSize == 3 && gathered.length == 3 && gathered.capacity == cache.capacity)
        let next = try model.nextTokenLogits(TokenBatch(tokenIds: [[40], [41], [42]]), cache: &gathered)
        let full = try model.logits(TokenBatch(tokenIds: zip(order, [40, 41, 42] as [Int32]).map { prompts[$0] + [$1] }))
        for row in 0..<3 {
            for token in 0..<160 { #expect(abs(next[row, token] - full[row, 3, token]) <= Self.tolerance) }
        }
    }

    /// Generation with the KV cache equals the argmax of a full re-run at every step.
    @Test func cachedGenerationEqualsRecomputation() throws {
        let model = try Self.model()
        let prompts: [[Int32]] = [[47], [80, 80, 58], [15, 52, 34, 53, 146, 74, 156], [3, 99, 150, 7, 7]]
        let maxLength = 24
        let generated = try model.generate(tokenIds: prompts, maxLength: maxLength)
        for (prompt, output) in zip(prompts, generated) {
            var sequence = prompt
            while sequence.count < maxLength {
                let logits = try model.logits(TokenBatch(tokenIds: [sequence]))
                let last = (0..<160).map { logits[0, sequence.count - 1, $0] }
                let best = last.indices.max { last[$0] < last[$1] || (last[$0] == last[$1] && $0 > $1) } ?? 0
                sequence.append(Int32(best))
            }
            #expect(output == sequence, "prompt \(prompt)")
        }
    }

    // MARK: beam search

    @Test(arguments: [2, 3])
    func beamSearchMatchesTransformers(numBeams: Int) throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let runs = fixture.beam.filter { $0.numBeams == numBeams }
        #expect(runs.count == 4)
        let sampler = try BeamSampler(numBeams: numBeams)
        for run in runs {
            let output = try model.generate(tokenIds: [run.prompt], maxLength: run.maxLength, sampler: sampler)
            #expect(output == [run.output], "\(numBeams) beams, prompt of \(run.prompt.count) tokens")
        }
        let batched = try model.generate(tokenIds: runs.map(\.prompt), maxLength: runs[0].maxLength, sampler: sampler)
        #expect(batched == runs.map(\.output), "\(numBeams) beams, one ragged batch")
    }

    @Test func oneBeamIsGreedy() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let output = try model.generate(
            tokenIds: fixture.greedy.map(\.prompt), maxLength: 32, sampler: BeamSampler(numBeams: 1))
        #expect(output == fixture.greedy.map(\.output))
    }

    @Test func beamSearchStopsAtStopTokens() throws {
        let model = try Self.model()
        let sampler = try BeamSampler(numBeams: 3)
        let free = try model.generate(tokenIds: [[80, 80, 58]], maxLength: 20, sampler: sampler)[0]
        let stop = try #require(free.dropFirst(3).first)
        let stopped = try model.generate(tokenIds: [[80, 80, 58]], maxLength: 20, stopTokenIds: [stop], sampler: sampler)[0]
        #expect(stopped.count < free.count)
        let generated = stopped.dropFirst(3)
        #expect(generated.filter { $0 == stop }.count <= 1)
        #expect(generated.last == stop || stopped.count == 20)
    }

    // MARK: stop tokens and streaming

    @Test func stopTokensMatchTransformers() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let run = try #require(fixture.stop.first)
        let stops = Set(run.stopTokenIds ?? [])
        #expect(try model.generate(tokenIds: [run.prompt], maxLength: run.maxLength, stopTokenIds: stops) == [run.output])
        // In a batch, the sequence that stops stops; the others run to maxLength.
        let others = fixture.greedy.filter { $0.prompt != run.prompt && !$0.output.dropFirst($0.prompt.count).contains { stops.contains($0) } }
        let output = try model.generate(
            tokenIds: [run.prompt] + others.map(\.prompt), maxLength: run.maxLength, stopTokenIds: stops)
        #expect(output == [run.output] + others.map(\.output))
    }

    @Test func streamingReportsEveryGeneratedToken() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let stopRun = try #require(fixture.stop.first)
        let prompts = fixture.greedy.map(\.prompt)
        var streamed = Array(repeating: [Int32](), count: prompts.count)
        var steps: [Int] = []
        var lastFinished: [Bool] = []
        let output = try model.generate(
            tokenIds: prompts, maxLength: 20, stopTokenIds: Set(stopRun.stopTokenIds ?? [])
        ) { step in
            steps.append(step.step)
            for (index, tokens) in step.newTokens.enumerated() { streamed[index] += tokens }
            lastFinished = step.finished
        }
        #expect(steps == Array(0..<steps.count))
        #expect(steps.count == streamed.map(\.count).max())  // one token per step for the longest run
        let stops = Set(stopRun.stopTokenIds ?? [])
        #expect(zip(prompts, streamed).contains { $0.count + $1.count < 20 && $1.last.map(stops.contains) == true },
                "some sequence stopped early")
        #expect(lastFinished == [true, true, true, true])
        for (index, prompt) in prompts.enumerated() {
            #expect(prompt + streamed[index] == output[index])
        }
    }

    @Test func callbackErrorsStopGeneration() throws {
        struct Stop: Error {}
        let model = try Self.model()
        var calls = 0
        #expect(throws: Stop.self) {
            _ = try model.generate(tokenIds: [[1, 2]], maxLength: 30) { _ in
                calls += 1
                if calls == 3 { throw Stop() }
            }
        }
        #expect(calls == 3)
    }

    // MARK: sampling

    @Test func seededSamplingIsReproducibleAndIndependentOfTheBatch() throws {
        let model = try Self.model()
        let prompts: [[Int32]] = [[47], [80, 80, 58], [15, 52, 34, 53, 146, 74, 156]]
        let samplers: [any Sampler] = [try RandomSampler(temperature: 1.5), try TopKSampler(k: 20), try TopPSampler(p: 0.95, temperature: 2)]
        for sampler in samplers {
            let first = try model.generate(tokenIds: prompts, maxLength: 32, sampler: sampler, seed: 7)
            let second = try model.generate(tokenIds: prompts, maxLength: 32, sampler: sampler, seed: 7)
            #expect(first == second, "\(sampler)")
            let other = try model.generate(tokenIds: prompts, maxLength: 32, sampler: sampler, seed: 8)
            #expect(first != other, "\(sampler): another seed, other samples")
            // Sequence 1 draws from its own generator: other batch-mates (other lengths) do not change it.
            let mates = try model.generate(tokenIds: [[99, 98, 97, 96, 95, 94, 93, 92, 91, 90], prompts[1]], maxLength: 32, sampler: sampler, seed: 7)
            #expect(mates[1] == first[1], "\(sampler): a sequence's samples do not depend on its batch")
        }
    }

    @Test func vanishingTemperatureIsGreedy() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let samplers: [any Sampler] = [
            try RandomSampler(temperature: 1e-6), try TopKSampler(k: 10, temperature: 1e-6),
            try TopPSampler(p: 0.9, temperature: 1e-6), try GreedySampler(temperature: 1e-6),
        ]
        for sampler in samplers {
            let output = try model.generate(tokenIds: fixture.greedy.map(\.prompt), maxLength: 32, sampler: sampler, seed: 3)
            #expect(output == fixture.greedy.map(\.output), "\(sampler)")
        }
    }

    @Test func topKOfOneIsGreedy() throws {
        let fixture = try GenerationFixture.load()
        let model = try Self.model()
        let output = try model.generate(
            tokenIds: fixture.greedy.map(\.prompt), maxLength: 32, sampler: TopKSampler(k: 1, temperature: 3), seed: 11)
        #expect(output == fixture.greedy.map(\.output))
    }

    // MARK: errors

    @Test func badArgumentsThrowTypedErrors() throws {
        let model = try Self.model()
        #expect(throws: GenerationError.emptyBatch) { try model.generate(tokenIds: [], maxLength: 8) }
        #expect(throws: GenerationError.emptyPrompt(sequence: 1)) { try model.generate(tokenIds: [[1], []], maxLength: 8) }
        #expect(throws: GenerationError.maxLengthOutOfRange(maxLength: 33, maximum: 32)) {
            try model.generate(tokenIds: [[1]], maxLength: 33)
        }
        #expect(throws: GenerationError.maxLengthOutOfRange(maxLength: 0, maximum: 32)) {
            try model.generate(tokenIds: [[1]], maxLength: 0)
        }
        #expect(throws: GenerationError.promptTooLong(sequence: 0, length: 3, maxLength: 2)) {
            try model.generate(tokenIds: [[1, 2, 3]], maxLength: 2)
        }
        #expect(throws: GenerationError.tokenOutOfRange(sequence: 1, position: 2, id: 160, vocabularySize: 160)) {
            try model.generate(tokenIds: [[1], [1, 2, 160]], maxLength: 8)
        }
        #expect(throws: GenerationError.tokenOutOfRange(sequence: 0, position: 0, id: -1, vocabularySize: 160)) {
            try model.generate(tokenIds: [[-1]], maxLength: 8)
        }
        #expect(throws: SamplerError.topKExceedsVocabulary(sampler: "TopKSampler", k: 161, vocabularySize: 160)) {
            try model.generate(tokenIds: [[1]], maxLength: 8, sampler: TopKSampler(k: 161))
        }
        #expect(throws: SamplerError.topKExceedsVocabulary(sampler: "TopPSampler", k: 200, vocabularySize: 160)) {
            try model.generate(tokenIds: [[1]], maxLength: 8, sampler: TopPSampler(p: 0.5, k: 200))
        }
        let message = GenerationError.tokenOutOfRange(sequence: 1, position: 2, id: 160, vocabularySize: 160).description
        #expect(message.contains("prompt 1") && message.contains("position 2") && message.contains("160"))
    }

    @Test func positionIdsOutsideTheTableThrow() throws {
        let model = try Self.model()
        var cache = model.gpt2Backbone.makeCache(batchSize: 1, capacity: 4)
        #expect(throws: InputError.self) {
            try model.nextTokenLogits(TokenBatch(tokenIds: [[1]]), positionIds: [32], cache: &cache)
        }
    }
}

/// The generation cache is sized before it is allocated: one that would not fit in memory is a
/// typed error naming what it needs, and sizes whose product overflows are caught, not wrapped.
@Suite struct DecoderCacheBoundsTests {
    @Test func sizesAreCountedWithoutOverflow() {
        #expect(DecoderCache.estimatedBytes(numLayers: 2, batchSize: 3, capacity: 4, hiddenDim: 5) == 8 * 2 * 3 * 4 * 5)
        #expect(DecoderCache.estimatedBytes(numLayers: 1 << 20, batchSize: 1 << 20, capacity: 1 << 20, hiddenDim: 1 << 20) == nil)
        #expect(DecoderCache.estimatedBytes(numLayers: -1, batchSize: 1, capacity: 1, hiddenDim: 1) == nil)
    }

    @Test func aCacheLargerThanMemoryIsRefused() throws {
        do {
            _ = try DecoderCache.checked(numLayers: 2, batchSize: 1 << 40, capacity: 16, hiddenDim: 32)
            Issue.record("a 8 PiB cache was allocated")
        } catch let error as GenerationError {
            guard case .cacheTooLarge(let bytes, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(bytes == 1 << 53)
            #expect(error.description.contains("8388608.0 GiB; this machine has"), "\(error)")
        }
        #expect(try DecoderCache.checked(numLayers: 2, batchSize: 2, capacity: 4, hiddenDim: 8).layers.count == 2)
    }
}
