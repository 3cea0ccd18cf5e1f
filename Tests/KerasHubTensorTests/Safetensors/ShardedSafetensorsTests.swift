import Foundation
import Testing
@testable import KerasHubTensor

@Suite struct ShardedSafetensorsTests {
    private let shard1 = "model-00001-of-00002.safetensors"
    private let shard2 = "model-00002-of-00002.safetensors"

    @Test func readsTensorsAcrossShards() throws {
        let index = try SafetensorsFixtures.url("sharded/model.safetensors.index.json")
        let store = try ShardedSafetensors(indexURL: index)
        #expect(store.tensorNames == ["embed.weight", "layer.0.bias", "layer.1.bias"])
        #expect(store.metadata == ["total_size": "32"])
        #expect(store.shards.keys.sorted() == [shard1, shard2])
        #expect(store.weightMap["layer.1.bias"] == shard2)
        #expect(store.shape(of: "embed.weight") == [2, 3])
        #expect(store.dtype(of: "layer.0.bias") == .f16)
        #expect(try store.tensor(named: "embed.weight").scalars == [0, 1, 2, 3, 4, 5])
        #expect(try store.tensor(named: "layer.0.bias").scalars == [0.5, -0.5])
        #expect(try store.tensor(named: "layer.1.bias").scalars == [1.25, 2.5])
        #expect(store.shape(of: "absent") == nil)
        #expect(throws: TensorStoreError.missingTensor(name: "absent", store: index.path)) { try store.tensor(named: "absent") }
    }

    /// Copies the fixture shards into a temporary directory with a custom index.
    private func checkpoint(index: String, copyShards: Bool = true) throws -> (TemporaryDirectory, URL) {
        let directory = try TemporaryDirectory()
        if copyShards {
            for shard in [shard1, shard2] {
                try FileManager.default.copyItem(
                    at: SafetensorsFixtures.url("sharded/\(shard)"), to: directory.url.appendingPathComponent(shard))
            }
        }
        let url = directory.url.appendingPathComponent("model.safetensors.index.json")
        try Data(index.utf8).write(to: url)
        return (directory, url)
    }

    /// A shard that is a link to a file outside the index's directory is refused, not read.
    @Test func aShardLinkingOutOfTheDirectoryIsRefused() throws {
        let (directory, url) = try checkpoint(index: #"{"weight_map": {"embed.weight": "\#(shard1)"}}"#, copyShards: false)
        let outside = try TemporaryDirectory()
        try FileManager.default.copyItem(at: SafetensorsFixtures.url("sharded/\(shard1)"), to: outside.url.appendingPathComponent(shard1))
        try FileManager.default.createSymbolicLink(
            at: directory.url.appendingPathComponent(shard1), withDestinationURL: outside.url.appendingPathComponent(shard1))
        #expect(throws: SafetensorsError.invalidShard(
            index: url.path, shard: shard1, reason: "it is a link to a file outside the index's directory")) {
            try ShardedSafetensors(indexURL: url)
        }
        try? FileManager.default.removeItem(at: outside.url)
        try? FileManager.default.removeItem(at: directory.url)
    }

    @Test func tensorNotInItsShard() throws {
        let (directory, url) = try checkpoint(index: #"{"weight_map": {"embed.weight": "\#(shard2)"}}"#)
        #expect(throws: SafetensorsError.tensorMissingFromShard(index: url.path, shard: shard2, tensor: "embed.weight")) {
            try ShardedSafetensors(indexURL: url)
        }
        _ = directory
    }

    @Test func missingShardFile() throws {
        let (directory, url) = try checkpoint(index: #"{"weight_map": {"x": "model-00003-of-00003.safetensors"}}"#)
        do {
            _ = try ShardedSafetensors(indexURL: url)
            Issue.record("expected an error")
        } catch let error as SafetensorsError {
            guard case .invalidShard(let index, let shard, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(index == url.path && shard == "model-00003-of-00003.safetensors")
            #expect(reason.contains(directory.url.appendingPathComponent(shard).path))
        }
    }

    @Test func shardNamesMustStayInTheDirectory() throws {
        let (directory, url) = try checkpoint(index: #"{"weight_map": {"x": "../secret.safetensors"}}"#)
        #expect(throws: SafetensorsError.invalidShard(
            index: url.path, shard: "../secret.safetensors", reason: "shard names must be plain file names in the index's directory")) {
            try ShardedSafetensors(indexURL: url)
        }
        _ = directory
    }

    @Test func malformedIndex() throws {
        for text in ["not json", #"{"metadata": {}}"#, #"{"weight_map": {"x": 1}}"#, "[]"] {
            let (directory, url) = try checkpoint(index: text, copyShards: false)
            do {
                _ = try ShardedSafetensors(indexURL: url)
                Issue.record("expected an error for \(text)")
            } catch let error as SafetensorsError {
                guard case .invalidIndex(let file, _) = error else { Issue.record("unexpected \(error)"); continue }
                #expect(file == url.path)
                #expect(error.description.hasPrefix(url.path + ": invalid safetensors index"))
            }
            _ = directory
        }
    }

    @Test func checkpointOpenerPicksTheLayout() throws {
        let sharded = try openSafetensorsCheckpoint(directory: SafetensorsFixtures.url("sharded"))
        #expect(sharded is ShardedSafetensors)
        #expect(sharded.tensorNames.count == 3)

        let directory = try TemporaryDirectory()
        try SafetensorsWriter.write(["x": try Tensor(shape: [1], scalars: [4])], to: directory.url.appendingPathComponent("model.safetensors"))
        let single = try SafetensorsCheckpoint.open(directory: directory.url)
        #expect(single is SafetensorsFile)
        #expect(try single.tensor(named: "x").scalars == [4])

        let empty = try TemporaryDirectory()
        #expect(throws: SafetensorsError.noCheckpoint(directory: empty.url.path)) {
            try openSafetensorsCheckpoint(directory: empty.url)
        }
        #expect(SafetensorsError.noCheckpoint(directory: "/x").description
            == "/x: no model.safetensors or model.safetensors.index.json in this directory")
    }
}
