import Foundation
import KerasHubLayers
import KerasHubModels
import KerasHubTensor
import Testing
@testable import KerasHubPresets

/// A KerasHub preset whose weights files are wrong in each way KerasHub's could be: every load is a
/// typed error naming the file and the Keras path, never a crash.
@Suite struct KerasHubWeightsBadInputTests {
    /// A copy of a KerasHub-written fixture, and its weights file's datasets.
    static func copy(_ name: String) throws -> (URL, [KerasWeightsEntry]) {
        let directory = try makeTemporaryDirectory("kh-bad-h5")
        let target = directory.appendingPathComponent(name)
        try FileManager.default.copyItem(at: KerasHubWrittenPresetTests.directory(name), to: target)
        let single = target.appendingPathComponent("model.weights.h5")
        guard FileManager.default.fileExists(atPath: single.path) else { return (target, []) }
        let stored = try KerasWeightsFile(contentsOf: single)
        return (target, try stored.tensorNames.map { KerasWeightsEntry(path: $0, tensor: try stored.tensor(named: $0)) })
    }

    static func load(_ directory: URL) -> Error? {
        do {
            _ = try Backbone.fromPreset(directory.path)
            return nil
        } catch {
            return error
        }
    }

    static let query = "layers/transformer_encoder_1/_self_attention_layer/query_dense/vars/0"

    @Test func wrongShapeMissingAndExtraDatasets() throws {
        let (directory, entries) = try Self.copy("bert_backbone")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let file = directory.appendingPathComponent("model.weights.h5")

        var reshaped = entries
        let index = try #require(reshaped.firstIndex { $0.path == Self.query })
        reshaped[index].tensor = try reshaped[index].tensor.reshaped([16, 4, 4])
        try KerasWeightsWriter.write(reshaped, to: file)
        #expect(Self.load(directory) as? WeightError == .shapeMismatch(name: Self.query, expected: [16, 2, 8], found: [16, 4, 4], origin: file.path))

        try KerasWeightsWriter.write(entries.filter { $0.path != Self.query }, to: file)
        #expect(Self.load(directory) as? WeightError == .missingTensor(name: Self.query, origin: file.path))

        try KerasWeightsWriter.write(entries + [KerasWeightsEntry(path: "layers/dense_9/vars/0", tensor: Tensor(shape: [2], repeating: 1))], to: file)
        #expect(Self.load(directory) as? WeightError == .unexpectedTensors(names: ["layers/dense_9/vars/0"], origin: file.path))
    }

    /// An integer dataset where a weight belongs, a truncated file, and a shard index pointing
    /// outside the preset or at a shard that is not there.
    @Test func wrongDTypeTruncationAndBrokenShards() throws {
        let (directory, _) = try Self.copy("bert_backbone")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let file = directory.appendingPathComponent("model.weights.h5")
        let original = try Data(contentsOf: file)
        try original.prefix(original.count / 3).write(to: file)
        guard case .unreadableFile(let path, _)? = Self.load(directory) as? KerasWeightsError else {
            Issue.record("a truncated file must be unreadable")
            return
        }
        #expect(path == file.path)
        try original.write(to: file)

        let (sharded, _) = try Self.copy("gpt2_backbone_sharded")
        defer { try? FileManager.default.removeItem(at: sharded.deletingLastPathComponent()) }
        let index = sharded.appendingPathComponent("model.weights.json")
        try Data(#"{"weight_map": {"/layers/x/vars": "../../bert_backbone/model.weights.h5"}}"#.utf8).write(to: index)
        #expect(Self.load(sharded) as? KerasWeightsError == .invalidShardName(index: index.path, shard: "../../bert_backbone/model.weights.h5"))
        try FileManager.default.removeItem(at: sharded.appendingPathComponent("model_00001.weights.h5"))
        try Data(#"{"weight_map": {"/layers/x/vars": ["model_00000.weights.h5", "model_00001.weights.h5"]}}"#.utf8).write(to: index)
        guard case .invalidShard(index.path, "model_00001.weights.h5", _)? = Self.load(sharded) as? KerasWeightsError else {
            Issue.record("a missing shard must be named")
            return
        }
    }

    /// An integer dataset (a task file's optimizer counter) where a weight belongs is refused by its type.
    @Test func integerDatasetWhereAWeightBelongs() throws {
        let file = Repository.root.appendingPathComponent("Tests/KerasHubTensorTests/Fixtures/kerasweights/dtypes.weights.h5")
        let stored = try KerasWeightsFile(contentsOf: file)
        #expect(stored.storageDType(of: "optimizer/vars/0") == "INT")
        let store = try [KerasWeightPath(ours: "x", keras: "optimizer/vars/0", kerasShape: [])].mappedStore(
            over: stored, origin: file.path) { $0 != "optimizer/vars/0" }
        #expect(throws: WeightError.wrongDType(name: "optimizer/vars/0 -> x", found: "INT", origin: file.path)) {
            try WeightSource(store: store, origin: file.path).tensor("x", shape: [], initializer: .zeros)
        }
    }

    /// `task.weights.h5` whose head has another class count than `task.json` says.
    @Test func taskHeadOfTheWrongShape() throws {
        let directory = try makeTemporaryDirectory("kh-bad-task")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("bert_classifier")
        try FileManager.default.copyItem(at: KerasHubWrittenPresetTests.directory("bert_classifier"), to: target)
        let file = target.appendingPathComponent("task.weights.h5")
        try KerasWeightsWriter.write([
            KerasWeightsEntry(path: "layers/dense/vars/0", tensor: Tensor(shape: [16, 5], repeating: 0.1)),
            KerasWeightsEntry(path: "layers/dense/vars/1", tensor: Tensor(shape: [5], repeating: 0)),
        ], to: file)
        #expect(throws: WeightError.shapeMismatch(name: "layers/dense/vars/0", expected: [16, 3], found: [16, 5], origin: file.path)) {
            try TextClassifier.fromPreset(target.path)
        }
    }
}
