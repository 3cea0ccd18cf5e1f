import Foundation

/// A checkpoint split over several safetensors files, opened from its
/// `model.safetensors.index.json`: `{"metadata": {...}, "weight_map": {tensor: shard file}}`.
///
/// Each shard is opened (memory-mapped and validated) once, and every tensor of the weight map
/// is checked to be in its shard, so a broken checkpoint fails when it is opened, not midway
/// through loading a model.
public struct ShardedSafetensors: TensorStore {
    /// The index file.
    public let indexURL: URL
    /// The index's `metadata` object with each value as text (numbers such as `total_size`
    /// printed in decimal); empty when absent.
    public let metadata: [String: String]
    /// The shard file name of each tensor, as in the index.
    public let weightMap: [String: String]
    /// The opened shards, by file name.
    public let shards: [String: SafetensorsFile]

    /// Opens the index and every shard it names (shards are looked up next to the index).
    /// - Throws: ``SafetensorsError/invalidIndex(file:reason:)``,
    ///   ``SafetensorsError/invalidShard(index:shard:reason:)`` or
    ///   ``SafetensorsError/tensorMissingFromShard(index:shard:tensor:)``.
    public init(indexURL: URL) throws {
        let path = indexURL.path
        let data: Data
        do {
            data = try Data(contentsOf: indexURL)
        } catch {
            throw SafetensorsError.invalidIndex(file: path, reason: "cannot read file: \(error.localizedDescription)")
        }
        let index = try Self.parseIndex(data, file: path)
        let directory = indexURL.deletingLastPathComponent()
        var shards: [String: SafetensorsFile] = [:]
        for shardName in Set(index.weightMap.values).sorted() {
            let shardURL = directory.appendingPathComponent(shardName)
            guard PresetContainment.resolves(shardURL, inside: directory) else {
                throw SafetensorsError.invalidShard(index: path, shard: shardName, reason: "it is a link to a file outside the index's directory")
            }
            do {
                shards[shardName] = try SafetensorsFile(contentsOf: shardURL)
            } catch let error as SafetensorsError {
                throw SafetensorsError.invalidShard(index: path, shard: shardName, reason: error.description)
            }
        }
        for (tensor, shardName) in index.weightMap.sorted(by: { $0.key < $1.key }) where shards[shardName]?.entries[tensor] == nil {
            throw SafetensorsError.tensorMissingFromShard(index: path, shard: shardName, tensor: tensor)
        }
        self.indexURL = indexURL
        self.metadata = index.metadata
        self.weightMap = index.weightMap
        self.shards = shards
    }

    /// Parses and checks the bytes of an index file without opening any shard: the JSON form, and
    /// that every shard name is a plain file name in the index's directory.
    /// - Parameter file: the path used in error messages.
    /// - Throws: ``SafetensorsError/invalidIndex(file:reason:)`` or ``SafetensorsError/invalidShard(index:shard:reason:)``.
    static func parseIndex(_ data: Data, file: String) throws -> (metadata: [String: String], weightMap: [String: String]) {
        let index: RawIndex
        do {
            index = try JSONDecoder().decode(RawIndex.self, from: data)
        } catch {
            throw SafetensorsError.invalidIndex(file: file, reason: SafetensorsHeader.describe(error))
        }
        for shardName in Set(index.weightMap.values).sorted() {
            guard !shardName.isEmpty, !shardName.contains("/"), !shardName.contains("\\"), shardName != ".", shardName != ".." else {
                throw SafetensorsError.invalidShard(index: file, shard: shardName, reason: "shard names must be plain file names in the index's directory")
            }
        }
        return (index.metadata.mapValues(\.text), index.weightMap)
    }

    /// Every tensor name of the weight map, sorted.
    public var tensorNames: [String] { weightMap.keys.sorted() }

    /// The shape of the named tensor, or `nil` when the weight map does not name it.
    public func shape(of name: String) -> [Int]? { file(for: name)?.shape(of: name) }

    /// The stored element type of the named tensor, or `nil` when the weight map does not name it.
    public func dtype(of name: String) -> SafetensorsDType? { file(for: name)?.dtype(of: name) }

    /// The safetensors dtype name of the tensor (`"F32"`, `"I64"`…).
    public func storageDType(of name: String) -> String? { dtype(of: name)?.rawValue }

    /// The named tensor read from its shard, converted to float32.
    /// - Throws: ``TensorStoreError/missingTensor(name:store:)`` naming the index.
    public func tensor(named name: String) throws -> Tensor {
        guard let file = file(for: name) else { throw TensorStoreError.missingTensor(name: name, store: indexURL.path) }
        return try file.tensor(named: name)
    }

    private func file(for name: String) -> SafetensorsFile? {
        weightMap[name].flatMap { shards[$0] }
    }
}

/// The index JSON before validation.
private struct RawIndex: Decodable {
    var metadata: [String: IndexMetadataValue] = [:]
    var weightMap: [String: String]

    enum CodingKeys: String, CodingKey {
        case metadata
        case weightMap = "weight_map"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeIfPresent([String: IndexMetadataValue].self, forKey: .metadata) ?? [:]
        weightMap = try container.decode([String: String].self, forKey: .weightMap)
    }
}

/// A metadata value of an index: transformers writes numbers (`total_size`), others strings.
private enum IndexMetadataValue: Decodable {
    case text(String)

    var text: String {
        switch self { case .text(let value): return value }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            self = .text(string)
        } else if let integer = try? container.decode(Int.self) {
            self = .text(String(integer))
        } else if let double = try? container.decode(Double.self) {
            self = .text(String(double))
        } else if let bool = try? container.decode(Bool.self) {
            self = .text(String(bool))
        } else if container.decodeNil() {
            self = .text("null")
        } else {
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: decoder.codingPath, debugDescription: "metadata values must be strings, numbers or booleans"))
        }
    }
}
