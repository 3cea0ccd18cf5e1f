import Foundation
import KerasHubModels
@testable import KerasHubPresets
import Testing

/// Every registered family and each of its tasks, built small with random weights, writes a
/// KerasHub-layout preset that loads back to the same class and the same numbers: the names a
/// model lists (``WeightTree/visitWeights(_:)``) are the names it reads.
@Suite struct FamilyRoundTripTests {
    static let config: [String: JSONValue] = [
        "vocabulary_size": .number(64), "num_layers": .number(2), "num_heads": .number(2), "hidden_dim": .number(8),
        "intermediate_dim": .number(12), "max_sequence_length": .number(16),
    ]
    static let batch = try? TokenBatch(tokenIds: [[5, 6, 7, 8], [9, 10, 11, 12]], paddingMask: [[true, true, true, true], [true, true, false, false]])

    @Test(arguments: ModelFamilies.builtIn.map(\.name))
    func backboneRoundTrips(name: String) throws {
        let family = try #require(ModelFamilies.builtIn.first { $0.name == name })
        let backbone = try family.makeBackbone(kerasHubConfig: Self.config, file: name, weights: .random(seed: 3))
        let named = backbone.namedWeights
        #expect(Set(named.keys) == Set(backbone.weightShapes.keys))
        #expect(backbone.parameterCount == named.values.reduce(0) { $0 + $1.count })
        #expect(named.allSatisfy { backbone.weightShapes[$0.key] == $0.value.shape })
        let directory = try makeTemporaryDirectory("kh-family-\(name)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try backbone.saveToPreset(directory)
        let reloaded = try Backbone.fromPreset(directory.path)
        #expect(type(of: reloaded) == family.backboneType)
        let batch = try #require(Self.batch)
        #expect(try reloaded(batch).sequenceOutput == backbone(batch).sequenceOutput)
    }

    @Test(arguments: ModelFamilies.allTasks.map(\.className))
    func taskRoundTrips(className: String) throws {
        let descriptor = try #require(ModelFamilies.task(className: className))
        let family = try #require(ModelFamilies.builtIn.first { $0.tasks.contains { $0.className == className } })
        let directory = try makeTemporaryDirectory("kh-task-\(className)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backbone = try family.makeBackbone(kerasHubConfig: Self.config, file: className, weights: .random(seed: 4))
        let context = TaskLoadContext(
            preset: className, backbone: backbone, numClasses: 3, headWeights: nil, textPreprocessor: nil,
            causalPreprocessor: nil, files: PresetDirectory(url: directory))
        let task = try descriptor.load(context)
        #expect(type(of: task) == descriptor.taskType)
        #expect(task.parameterCount == backbone.parameterCount + task.headWeights.values.reduce(0) { $0 + $1.count })
        try task.saveToPreset(directory)
        let reloaded = try Task.fromPreset(directory.path)
        #expect(type(of: reloaded) == descriptor.taskType)
        let batch = try #require(Self.batch)
        switch descriptor.kind {
        case .textClassifier:
            let (a, b) = try (#require(task as? TextClassifier), #require(reloaded as? TextClassifier))
            #expect(try a(batch) == b(batch) && b.numClasses == 3)
        case .maskedLM:
            let (a, b) = try (#require(task as? MaskedLM), #require(reloaded as? MaskedLM))
            #expect(try a.logits(batch) == b.logits(batch))
        case .textEmbedder:
            let (a, b) = try (#require(task as? TextEmbedder), #require(reloaded as? TextEmbedder))
            #expect(try a(batch) == b(batch))
        case .causalLM:
            let (a, b) = try (#require(task as? CausalLM), #require(reloaded as? CausalLM))
            #expect(try a.generate(tokenIds: [[5, 6]], maxLength: 6) == b.generate(tokenIds: [[5, 6]], maxLength: 6))
        }
    }
}

/// What a preset's config says of its backbone is read without building it, and agrees with the
/// built backbone, in both layouts.
@Suite struct PresetConfigReadingTests {
    @Test(arguments: ["bert_a", "distilbert_a", "gpt2_a", "roberta_a", "xlm_roberta_a"])
    func maxSequenceLengthIsReadFromTheConfig(name: String) throws {
        let directory = PresetDirectory(url: try Repository.modelFixture(name))
        let backbone = try directory.loadBackbone(loadWeights: false)
        #expect(try directory.maxSequenceLength() == backbone.maxSequenceLength)
        let saved = try makeTemporaryDirectory("kh-length-\(name)")
        defer { try? FileManager.default.removeItem(at: saved) }
        try backbone.saveToPreset(saved)
        #expect(try PresetDirectory(url: saved).maxSequenceLength() == backbone.maxSequenceLength)
    }
}
