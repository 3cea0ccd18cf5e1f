import Foundation
import Testing
@testable import KerasHubTensor

/// The fixtures of `Tools/make_keras_weights_fixtures.py` (written by h5py as Keras stores weights).
enum KerasWeightsFixtures {
    struct Expected: Decodable {
        struct Dataset: Decodable {
            var shape: [Int]
            var bits: [UInt32]
        }
        var dtypes: [String: Dataset]
        var sharded: [String: Dataset]
    }

    static func url(_ name: String) throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("kerasweights").appendingPathComponent(name)
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url("expected.json")))
    }

    /// A scratch directory removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("keras-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite struct KerasWeightsFileTests {
    /// Every dataset, of every dtype Keras stores, reads as h5py + ml_dtypes widen it, bit for bit.
    @Test func readsEveryDTypeAsH5pyDoes() throws {
        let file = try KerasWeightsFile(contentsOf: KerasWeightsFixtures.url("dtypes.weights.h5"))
        let expected = try KerasWeightsFixtures.expected().dtypes
        #expect(file.tensorNames == expected.keys.sorted())
        for (name, dataset) in expected {
            let tensor = try file.tensor(named: name)
            #expect(tensor.shape == dataset.shape, "\(name)")
            #expect(tensor.withUnsafeBufferPointer { $0.map(\.bitPattern) } == dataset.bits, "\(name)")
        }
        #expect(file.storageDType(of: "layers/dense/vars/0") == "F32")
        #expect(file.storageDType(of: "layers/transformer_encoder/_self_attention_layer/query_dense/vars/0") == "F16")
        #expect(file.storageDType(of: "layers/transformer_encoder/_self_attention_layer/query_dense/vars/1") == "BF16")
        #expect(file.storageDType(of: "layers/layer_normalization/vars/0") == "F64")
        #expect(file.storageDType(of: "optimizer/vars/0") == "INT")
        #expect(file.shape(of: "optimizer/vars/0") == [])
        #expect(throws: KerasWeightsError.missingDataset(file: file.path, dataset: "layers/nope/vars/0")) {
            try file.tensor(named: "layers/nope/vars/0")
        }
    }

    /// A group split over two shards, as Keras's ShardedH5IOStore writes it.
    @Test func readsShardsThroughTheirIndex() throws {
        let store = try ShardedKerasWeights(indexURL: KerasWeightsFixtures.url("sharded/model.weights.json"))
        let expected = try KerasWeightsFixtures.expected().sharded
        #expect(store.tensorNames == expected.keys.sorted())
        #expect(store.shards.keys.sorted() == ["model_00000.weights.h5", "model_00001.weights.h5"])
        for (name, dataset) in expected {
            #expect(try store.tensor(named: name).withUnsafeBufferPointer { $0.map(\.bitPattern) } == dataset.bits, "\(name)")
        }
    }

    /// Each hostile file is a typed error naming the file and the dataset or link.
    @Test func refusesHostileFiles() throws {
        func error(_ name: String) throws -> KerasWeightsError? {
            do {
                _ = try KerasWeightsFile(contentsOf: KerasWeightsFixtures.url(name))
                return nil
            } catch let error as KerasWeightsError {
                return error
            }
        }
        let directory = try KerasWeightsFixtures.url("").path + "/"
        #expect(try error("soft_link.weights.h5") == .forbiddenLink(file: directory + "soft_link.weights.h5", path: "layers/dense/vars/1", kind: "soft"))
        #expect(
            try error("external_link.weights.h5")
                == .forbiddenLink(file: directory + "external_link.weights.h5", path: "layers/dense/vars/0", kind: "external"))
        #expect(try error("external_storage.weights.h5") == .externalStorage(file: directory + "external_storage.weights.h5", dataset: "layers/dense/vars/0"))
        #expect(try error("compressed.weights.h5") == .filteredDataset(file: directory + "compressed.weights.h5", dataset: "layers/dense/vars/0"))
        guard case .unsupportedType(_, "layers/lookup/vars/0", _)? = try error("string.weights.h5") else {
            Issue.record("a string dataset must be refused")
            return
        }
        for name in ["truncated.weights.h5", "not_hdf5.weights.h5", "missing.weights.h5"] {
            guard case .unreadableFile(let file, let reason)? = try error(name) else {
                Issue.record("\(name) must be unreadable")
                continue
            }
            #expect(file.hasSuffix(name))
            #expect(!reason.isEmpty)
        }
    }

    /// Shard lists naming files outside the directory, missing shards, and duplicated datasets.
    @Test func refusesBrokenShardIndexes() throws {
        let directory = try KerasWeightsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = directory.appendingPathComponent("model.weights.json")
        func open(_ json: String) throws -> KerasWeightsError? {
            try Data(json.utf8).write(to: index)
            do {
                _ = try ShardedKerasWeights(indexURL: index)
                return nil
            } catch let error as KerasWeightsError {
                return error
            }
        }
        for name in ["../model_00000.weights.h5", "/etc/passwd", "sub/model.weights.h5", "model.safetensors", "..weights.h5"] {
            #expect(try open(#"{"weight_map": {"/layers/dense/vars": "\#(name)"}}"#) == .invalidShardName(index: index.path, shard: name))
        }
        guard case .invalidShard(_, "model_00000.weights.h5", let reason)? = try open(#"{"weight_map": {"/layers/dense/vars": "model_00000.weights.h5"}}"#) else {
            Issue.record("a missing shard must be an error")
            return
        }
        #expect(reason.contains("model_00000.weights.h5"))
        guard case .invalidIndex? = try open(#"{"weight_map": {"/layers/dense/vars": 3}}"#), case .invalidIndex? = try open("[1]"),
              case .invalidIndex? = try open("{"), case .invalidIndex? = try open(#"{"weight_map": {}}"#)
        else {
            Issue.record("malformed indexes must be invalidIndex")
            return
        }
        let entries = [KerasWeightsEntry(path: "layers/dense/vars/0", tensor: Tensor(shape: [2], repeating: 1))]
        try KerasWeightsWriter.write(entries, to: directory.appendingPathComponent("a.weights.h5"))
        try KerasWeightsWriter.write(entries, to: directory.appendingPathComponent("b.weights.h5"))
        #expect(
            try open(#"{"weight_map": {"/layers/dense/vars": ["a.weights.h5", "b.weights.h5"]}}"#)
                == .duplicateDataset(index: index.path, dataset: "layers/dense/vars/0", shards: ["a.weights.h5", "b.weights.h5"]))
    }

    /// Found by the `h5` fuzz target: a file with a corrupt local heap makes libhdf5 itself read
    /// through a null pointer (SIGSEGV in H5F__accum_read under H5Lvisit). libhdf5 now walks each
    /// file in a forked child first, so the file is a typed error and this process lives.
    @Test func aFileThatCrashesLibHDF5IsATypedError() throws {
        let url = try KerasWeightsFixtures.url("fuzz/crash-local-heap.weights.h5")
        do {
            _ = try KerasWeightsFile(contentsOf: url)
            Issue.record("the corrupt file was accepted")
        } catch let error as KerasWeightsError {
            guard case .unreadableFile(let file, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(file == url.path)
            #expect(reason.contains("in a sandboxed child") || reason.contains("cannot"), "\(reason)")
        }
    }
}
