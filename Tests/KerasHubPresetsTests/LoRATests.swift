import Foundation
import KerasHubLayers
import KerasHubModels
import KerasHubTensor
import Testing
@testable import KerasHubPresets

/// LoRA weights written by KerasHub (`enable_lora(4)`, random factors, `save_lora_weights`;
/// `Tools/make_kerashub_presets.py` → `bert_lora`): ours with that file give KerasHub's outputs,
/// unmerged and merged, and the merged model saves and reloads.
@Suite struct LoRATests {
    static let preset = KerasHubWrittenPresetTests.directory("bert_lora")
    static let file = preset.appendingPathComponent("bert.lora.h5")

    static func run(_ backbone: Backbone, _ expected: KerasHubWeightsTests.BackboneOutputs) throws -> BackboneOutput {
        try backbone(TokenBatch(tokenIds: expected.tokenIds, paddingMask: expected.paddingMask, segmentIds: expected.segmentIds))
    }

    @Test func loraOutputsAreKerasHubsBeforeAndAfterMerging() throws {
        let expected = try KerasHubWeightsTests.outputs("bert_lora", as: KerasHubWeightsTests.BackboneOutputs.self)
        let base = try Backbone.fromPreset(Self.preset.path)
        let plain = try Self.run(base, expected).sequenceOutput
        // The factors matter: without them the outputs are far from KerasHub's LoRA outputs.
        #expect(KerasHubWeightsTests.largestDifference(plain, expected.sequenceOutput) > 1e-2)

        let adapted = try base.loadingLoRAWeights(from: Self.file)
        #expect(adapted.hasLoRA && !base.hasLoRA)
        let unmerged = try Self.run(adapted, expected)
        #expect(KerasHubWeightsTests.largestDifference(unmerged.sequenceOutput, expected.sequenceOutput) <= 1e-4)
        #expect(KerasHubWeightsTests.largestDifference(try #require(unmerged.pooledOutput), try #require(expected.pooledOutput)) <= 1e-4)

        let merged = try adapted.mergeLoRA()
        #expect(!merged.hasLoRA && merged.parameterCount == base.parameterCount)
        let mergedOutput = try Self.run(merged, expected).sequenceOutput
        #expect(KerasHubWeightsTests.largestDifference(mergedOutput, expected.sequenceOutput) <= 1e-4)

        // Merged, it saves in KerasHub's format and reloads to the same numbers; unmerged it refuses.
        let directory = try makeTemporaryDirectory("kh-lora-merged")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: LoRAError.unmergedAdapters(backbone: "BertBackbone")) { try adapted.saveToPreset(directory) }
        try merged.saveToPreset(directory)
        let reloaded = try Backbone.fromPreset(directory.path)
        #expect(try Self.run(reloaded, expected).sequenceOutput == mergedOutput)
    }

    /// A LoRA file for another shape of model, of another rank, or with layers this backbone has not.
    @Test func refusesLoRAFilesThatDoNotFit() throws {
        let base = try Backbone.fromPreset(Self.preset.path)
        let stored = try KerasWeightsFile(contentsOf: Self.file)
        let original = try stored.tensorNames.map { KerasWeightsEntry(path: $0, tensor: try stored.tensor(named: $0)) }
        let directory = try makeTemporaryDirectory("kh-lora-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        func attempt(_ entries: [KerasWeightsEntry]) throws -> LoRAError? {
            let url = directory.appendingPathComponent("bad.lora.h5")
            try KerasWeightsWriter.write(entries, to: url)
            do {
                _ = try base.loadingLoRAWeights(from: url)
                return nil
            } catch let error as LoRAError {
                return error
            }
        }
        var wrongRank = original
        if let index = wrongRank.firstIndex(where: { $0.path == "lora/vars/rank" }) { wrongRank[index].tensor = Tensor(shape: [], repeating: 3) }
        guard case .invalidFile(_, let reason)? = try attempt(wrongRank) else { Issue.record("a wrong rank must fail"); return }
        #expect(reason.contains("[16, heads, 3]"), "\(reason)")
        guard case .invalidFile(_, let missing)? = try attempt(original.filter { !$0.path.hasPrefix("lora/11/") }) else {
            Issue.record("a missing layer must fail")
            return
        }
        #expect(missing.contains("lora/11/vars/lora_kernel_a"), "\(missing)")
        let extra = original + [KerasWeightsEntry(path: "lora/12/vars/lora_kernel_a", tensor: Tensor(shape: [16, 4], repeating: 0))]
        guard case .invalidFile(_, let unexpected)? = try attempt(extra) else { Issue.record("an extra layer must fail"); return }
        #expect(unexpected.contains("lora/12/vars/lora_kernel_a"), "\(unexpected)")
        guard case .invalidFile? = try attempt(original.filter { $0.path != "lora/vars/rank" }) else {
            Issue.record("a file without a rank must fail")
            return
        }
        // Another family's LoRA file: GPT-2 numbers its layers differently.
        let gpt2 = try Backbone.fromPreset(KerasHubWrittenPresetTests.directory("gpt2_backbone").path)
        #expect(throws: LoRAError.self) { try gpt2.loadingLoRAWeights(from: Self.file) }
    }
}
