import Foundation
import Testing
@testable import KerasHubModels

/// One loaded model serves many tasks at once with exactly the answers of serial use (run under
/// ThreadSanitizer by Tools/sanitizers/tsan.sh).
@Suite struct ModelConcurrencyTests {
    static let tasks = 24

    @Test(arguments: ["bert_a", "distilbert_a", "gpt2_a"])
    func backboneGivesSerialAnswersFromManyTasks(fixtureName: String) async throws {
        let fixture = try ModelFixture(fixtureName)
        let backbone = try fixture.backbone()
        let batches = try fixture.cases.map { try $0.batch() }
        let serial = try batches.map { try backbone($0).sequenceOutput.scalars }
        let results = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for task in 0..<Self.tasks {
                let index = task % batches.count
                group.addTask { (index, try backbone(batches[index]).sequenceOutput.scalars) }
            }
            var results: [(Int, [Float])] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(results.count == Self.tasks)
        for (index, scalars) in results {
            #expect(scalars == serial[index], "\(fixtureName) case \(index) differs from the serial result")
        }
    }

    @Test func greedyGenerationGivesSerialAnswersFromManyTasks() async throws {
        let fixture = try ModelFixture("gpt2_a")
        guard let backbone = try fixture.backbone() as? GPT2Backbone else {
            Issue.record("gpt2_a is not a GPT-2 backbone")
            return
        }
        let model = GPT2CausalLM(backbone: backbone)
        let prompts: [[Int32]] = [[1, 2, 3], [4], [5, 6], [7, 8, 9, 10]]
        let serial = try prompts.map { try model.generate(tokenIds: [$0], maxLength: 12) }
        let results = try await withThrowingTaskGroup(of: (Int, [[Int32]]).self) { group in
            for task in 0..<Self.tasks {
                let index = task % prompts.count
                group.addTask { (index, try model.generate(tokenIds: [prompts[index]], maxLength: 12)) }
            }
            var results: [(Int, [[Int32]])] = []
            for try await result in group { results.append(result) }
            return results
        }
        for (index, ids) in results { #expect(ids == serial[index]) }
    }
}
