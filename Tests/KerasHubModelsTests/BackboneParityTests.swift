import Foundation
@testable import KerasHubModels
import KerasHubTensor
import Testing

/// Backbones against transformers' outputs on random checkpoints (|diff| <= 1e-4 on real tokens).
@Suite struct BackboneParityTests {
    static let tolerance: Float = 1e-4

    @Test(arguments: ["bert_a", "bert_b", "bert_a_fp16", "bert_a_bf16", "bert_mlm", "bert_cls",
                      "distilbert_a", "distilbert_mlm", "distilbert_cls", "gpt2_a", "gpt2_lm",
                      "roberta_a", "roberta_mlm", "roberta_cls", "xlm_roberta_a", "xlm_roberta_cls", "xlm_roberta_mlm"])
    func sequenceOutputMatchesTransformers(fixtureName: String) throws {
        let fixture = try ModelFixture(fixtureName)
        let backbone = try fixture.backbone()
        #expect(!fixture.cases.isEmpty)
        for (index, testCase) in fixture.cases.enumerated() {
            let output = try backbone(testCase.batch())
            let expected = try fixture.expectedTensor(index, "last_hidden_state")
            let difference = maxDifference(output.sequenceOutput, expected, mask: testCase.attentionMask)
            #expect(difference <= Self.tolerance, "\(fixtureName) \(testCase.name): max |diff| \(difference)")
            if fixture.expected.shape(of: "case\(index).pooler_output") != nil {
                let pooled = try #require(output.pooledOutput, "\(fixtureName) has a pooler")
                let pooledDifference = maxDifference(pooled, try fixture.expectedTensor(index, "pooler_output"))
                #expect(pooledDifference <= Self.tolerance, "\(fixtureName) \(testCase.name): pooler max |diff| \(pooledDifference)")
            }
        }
    }

    @Test func bertWithoutPoolerHasNoPooledOutput() throws {
        let backbone = try #require(try ModelFixture("bert_mlm").backbone() as? BertBackbone)
        #expect(backbone.pooledDense == nil)
    }

    /// Decoding with the cache (prompt, then one token per step) reproduces the full pass.
    @Test(arguments: ["gpt2_a", "gpt2_lm"])
    func gpt2IncrementalDecodingMatchesFullPass(fixtureName: String) throws {
        let fixture = try ModelFixture(fixtureName)
        let backbone = try #require(try fixture.backbone() as? GPT2Backbone)
        var checked = 0
        for (index, testCase) in fixture.cases.enumerated() where testCase.inputIds[0].count >= 3 {
            let expected = try fixture.expectedTensor(index, "last_hidden_state")
            let batch = testCase.inputIds.count, length = testCase.inputIds[0].count, hidden = backbone.config.hiddenDim
            var cache = backbone.makeCache(batchSize: batch, capacity: length)
            let promptLength = length / 2
            var steps: [(Range<Int>, Tensor)] = []
            var start = 0
            for end in [promptLength] + Array((promptLength + 1)...length) {
                let piece = try TokenBatch(
                    tokenIds: testCase.inputIds.map { Array($0[start..<end]) },
                    paddingMask: testCase.attentionMask.map { $0[start..<end].map { $0 != 0 } })
                steps.append((start..<end, try backbone(piece, cache: &cache).sequenceOutput))
                start = end
            }
            #expect(cache.length == length)
            for (range, output) in steps {
                for sequence in 0..<batch {
                    for position in range where testCase.attentionMask[sequence][position] != 0 {
                        for column in 0..<hidden {
                            let ours = output[sequence, position - range.lowerBound, column]
                            let theirs = expected[sequence, position, column]
                            #expect(abs(ours - theirs) <= Self.tolerance, "\(testCase.name) [\(sequence), \(position), \(column)]")
                        }
                    }
                }
            }
            checked += 1
        }
        #expect(checked > 0)
    }

    @Test func parameterCountsMatchTheCheckpoints() throws {
        for name in ["bert_a", "distilbert_a", "gpt2_a"] {
            let fixture = try ModelFixture(name)
            let store = try fixture.checkpoint()
            let stored = store.tensorNames.filter { !$0.hasSuffix("position_ids") }
                .reduce(0) { $0 + (store.shape(of: $1)?.reduce(1, *) ?? 0) }
            #expect(try fixture.backbone().parameterCount == stored, "\(name)")
        }
    }
}
