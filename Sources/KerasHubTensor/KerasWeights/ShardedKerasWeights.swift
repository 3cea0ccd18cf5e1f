import Foundation

/// Keras weights split over shards, opened from their index (`model.weights.json`):
/// `{"metadata": {"total_size": …}, "weight_map": {"/layers/dense/vars": "model_00000.weights.h5" | [names]}}`.
///
/// Every shard the index names must be a plain `.weights.h5` file name next to the index; each is
/// opened and checked once, and a dataset in two shards is an error, so a broken preset fails when
/// it is opened rather than midway through loading.
public struct ShardedKerasWeights: TensorStore {
    /// The index file.
    public let indexURL: URL
    /// The opened shards, by file name.
    public let shards: [String: KerasWeightsFile]
    private let shardOfDataset: [String: String]

    /// The largest index file read (the index of a many-gigabyte model is a few kilobytes).
    public static let maximumIndexBytes = 16 << 20

    /// Opens the index and every shard it names.
    /// - Throws: ``KerasWeightsError/invalidIndex(file:reason:)``, ``KerasWeightsError/invalidShardName(index:shard:)``,
    ///   ``KerasWeightsError/invalidShard(index:shard:reason:)`` or ``KerasWeightsError/duplicateDataset(index:dataset:shards:)``.
    public init(indexURL: URL) throws {
        let path = indexURL.path
        let names = try Self.shardNames(indexURL: indexURL)
        let directory = indexURL.deletingLastPathComponent()
        var shards: [String: KerasWeightsFile] = [:]
        var shardOfDataset: [String: String] = [:]
        for name in names {
            let shard: KerasWeightsFile
            guard PresetContainment.resolves(directory.appendingPathComponent(name), inside: directory) else {
                throw KerasWeightsError.invalidShard(index: path, shard: name, reason: "it is a link to a file outside the index's directory")
            }
            do {
                shard = try KerasWeightsFile(contentsOf: directory.appendingPathComponent(name))
            } catch let error as KerasWeightsError {
                throw KerasWeightsError.invalidShard(index: path, shard: name, reason: error.description)
            }
            for dataset in shard.tensorNames {
                if let other = shardOfDataset[dataset] {
                    throw KerasWeightsError.duplicateDataset(index: path, dataset: dataset, shards: [other, name])
                }
                shardOfDataset[dataset] = name
            }
            shards[name] = shard
        }
        self.indexURL = indexURL
        self.shards = shards
        self.shardOfDataset = shardOfDataset
    }

    /// The shard file names an index lists, sorted and checked to be plain `.weights.h5` names.
    /// - Throws: ``KerasWeightsError/invalidIndex(file:reason:)`` or ``KerasWeightsError/invalidShardName(index:shard:)``.
    public static func shardNames(indexURL: URL) throws -> [String] {
        let path = indexURL.path
        let data: Data
        do {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            guard size <= maximumIndexBytes else {
                throw KerasWeightsError.invalidIndex(file: path, reason: "\(size) bytes, more than the \(maximumIndexBytes)-byte limit")
            }
            data = try Data(contentsOf: indexURL)
        } catch let error as KerasWeightsError {
            throw error
        } catch {
            throw KerasWeightsError.invalidIndex(file: path, reason: "cannot read file: \(error.localizedDescription)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw KerasWeightsError.invalidIndex(file: path, reason: "not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any], let map = root["weight_map"] as? [String: Any] else {
            throw KerasWeightsError.invalidIndex(file: path, reason: "expected an object with a \"weight_map\" object")
        }
        var names = Set<String>()
        for (group, value) in map {
            let files: [Any] = (value as? [Any]) ?? [value]
            for file in files {
                guard let name = file as? String else {
                    throw KerasWeightsError.invalidIndex(file: path, reason: "weight_map[\"\(group)\"] is not a file name or a list of them")
                }
                guard isPlainShardName(name) else { throw KerasWeightsError.invalidShardName(index: path, shard: name) }
                names.insert(name)
            }
        }
        guard !names.isEmpty else { throw KerasWeightsError.invalidIndex(file: path, reason: "weight_map names no shard") }
        return names.sorted()
    }

    /// A file name without directory parts that ends in `.weights.h5`.
    static func isPlainShardName(_ name: String) -> Bool {
        name.hasSuffix(".weights.h5") && !name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.contains("\0")
    }

    /// Every dataset path over all shards, sorted.
    public var tensorNames: [String] { shardOfDataset.keys.sorted() }

    /// The shape of a dataset.
    public func shape(of name: String) -> [Int]? { shardOfDataset[name].flatMap { shards[$0]?.shape(of: name) } }

    /// The storage dtype of a dataset.
    public func storageDType(of name: String) -> String? { shardOfDataset[name].flatMap { shards[$0]?.storageDType(of: name) } }

    /// The shard and the dataset.
    public func displayName(of name: String) -> String { shardOfDataset[name].flatMap { shards[$0]?.displayName(of: name) } ?? name }

    /// A dataset's values, from its shard.
    /// - Throws: ``KerasWeightsError``.
    public func tensor(named name: String) throws -> Tensor {
        guard let shard = shardOfDataset[name].flatMap({ shards[$0] }) else {
            throw KerasWeightsError.missingDataset(file: indexURL.path, dataset: name)
        }
        return try shard.tensor(named: name)
    }
}
