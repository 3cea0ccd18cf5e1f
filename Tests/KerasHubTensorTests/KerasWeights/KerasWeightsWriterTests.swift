import Foundation
import Testing
@testable import KerasHubTensor

@Suite struct KerasWeightsWriterTests {
    private func sample() throws -> [KerasWeightsEntry] {
        [
            KerasWeightsEntry(path: "layers/dense/vars/0", tensor: try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0.1, 1e-3, -7])),
            KerasWeightsEntry(path: "layers/dense/vars/1", tensor: try Tensor(shape: [3], scalars: [0.5, 0.25, -0.125])),
            KerasWeightsEntry(
                path: "layers/transformer_encoder/_self_attention_layer/query_dense/vars/0",
                tensor: try Tensor(shape: [3, 1, 2], scalars: [1, 2, 3, 4, 5, 6])),
        ]
    }

    /// What the writer stores reads back identically, in every dtype, rounded as HalfPrecision rounds.
    @Test(arguments: DType.allCases) func roundTrips(dtype: DType) throws {
        let directory = try KerasWeightsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.weights.h5")
        let entries = try sample()
        try KerasWeightsWriter.write(entries, dtype: dtype, groupNames: ["layers/dense": "pooled_dense"], to: url)
        let file = try KerasWeightsFile(contentsOf: url)
        #expect(file.tensorNames == entries.map(\.path).sorted())
        for entry in entries {
            let read = try file.tensor(named: entry.path)
            #expect(read.shape == entry.tensor.shape)
            let expected: [Float] = entry.tensor.withUnsafeBufferPointer { values in
                values.map { value in
                    switch dtype {
                    case .float32: return value
                    case .float16: return HalfPrecision.float(fromFloat16Bits: HalfPrecision.float16Bits(value))
                    case .bfloat16: return HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(value))
                    }
                }
            }
            #expect(read.withUnsafeBufferPointer(Array.init) == expected)
        }
        let stored = ["float32": "F32", "float16": "F16", "bfloat16": "BF16"][dtype.rawValue]
        #expect(file.storageDType(of: "layers/dense/vars/0") == stored)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.weights.h5"])
    }

    /// Shards split as Keras's ShardedH5IOStore splits them, and read back through their index.
    @Test func shardsAtTheLimit() throws {
        let directory = try KerasWeightsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = directory.appendingPathComponent("model.weights.json")
        // 24 + 12 + 24 bytes with a 30-byte limit: [dense/0], [dense/1], [query/0].
        let names = try KerasWeightsWriter.writeSharded(try sample(), maxShardBytes: 30, indexURL: index)
        #expect(names == ["model_00000.weights.h5", "model_00001.weights.h5", "model_00002.weights.h5"])
        let store = try ShardedKerasWeights(indexURL: index)
        #expect(store.tensorNames.count == 3)
        #expect(try store.tensor(named: "layers/dense/vars/1").withUnsafeBufferPointer(Array.init) == [0.5, 0.25, -0.125])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any])
        let map = try #require(json["weight_map"] as? [String: Any])
        #expect(map["/layers/dense/vars"] as? [String] == ["model_00000.weights.h5", "model_00001.weights.h5"])
        #expect(map["/layers/transformer_encoder/_self_attention_layer/query_dense/vars"] as? String == "model_00002.weights.h5")
        #expect((json["metadata"] as? [String: Any])?["total_size"] as? Int == 60)
    }

    @Test func refusesPathsKerasCannotHold() throws {
        let directory = try KerasWeightsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("x.weights.h5")
        let tensor = Tensor(shape: [1], repeating: 0)
        for path in ["dense/0", "layers/../vars/0", "layers//vars/0", "layers/dense/0"] {
            #expect(throws: KerasWeightsError.invalidDatasetPath(file: url.path, dataset: path)) {
                try KerasWeightsWriter.write([KerasWeightsEntry(path: path, tensor: tensor)], to: url)
            }
        }
        let twice = [KerasWeightsEntry(path: "layers/a/vars/0", tensor: tensor), KerasWeightsEntry(path: "layers/a/vars/0", tensor: tensor)]
        #expect(throws: KerasWeightsError.invalidDatasetPath(file: url.path, dataset: "layers/a/vars/0")) {
            try KerasWeightsWriter.write(twice, to: url)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}
