import Foundation
import KerasHubModels
import KerasHubPresetData

/// A file of a preset's source checkpoint.
public struct PresetSourceFile: Codable, Sendable, Equatable {
    /// The path inside the repository, e.g. `model.safetensors`.
    public var path: String
    /// The expected sha256 (lowercase hex), where it is known.
    public var sha256: String?
    /// The expected size in bytes, where it is known.
    public var size: Int?
}

/// Where a preset's weights come from: a public transformers checkpoint repository.
public struct PresetSource: Codable, Sendable, Equatable {
    /// `org/name` on the hub, e.g. `google-bert/bert-base-uncased`.
    public var repository: String
    /// The revision (branch, tag or commit).
    public var revision: String
    /// The files to fetch.
    public var files: [PresetSourceFile]
}

/// How a built-in preset's tokenizer is made.
public struct PresetTokenizerSpec: Codable, Sendable, Equatable {
    /// The tokenizer class, e.g. `BertTokenizer`.
    public var className: String
    /// Whether input is lowercased (WordPiece).
    public var lowercase: Bool?
    /// A bundled vocabulary file, relative to `Presets/`, when the vocabulary ships with the package.
    public var vocabulary: String?
    /// A bundled merges file (BPE), relative to `Presets/`.
    public var merges: String?

    enum CodingKeys: String, CodingKey {
        case className = "class_name", lowercase, vocabulary, merges
    }
}

/// One entry of the built-in registry (`Presets/registry.json`).
public struct BuiltInPreset: Codable, Sendable, Equatable {
    /// The preset name, e.g. `bert_base_en_uncased`.
    public var name: String
    /// The backbone class, e.g. `BertBackbone`.
    public var className: String
    /// What the model is.
    public var description: String
    /// KerasHub's published parameter count.
    public var parameters: Int
    /// The backbone's KerasHub `config` (as in the preset's `config.json`), so the architecture can be
    /// built without the network (`loadWeights: false`, benchmarks with random weights).
    public var config: [String: JSONValue]?
    /// The folder under `Presets/` holding the whole preset, for bundled presets.
    public var bundled: String?
    /// The transformers checkpoint the weights come from.
    public var source: PresetSource
    /// The tokenizer.
    public var tokenizer: PresetTokenizerSpec
    /// The task classes KerasHub offers on this backbone.
    public var tasks: [String]
    /// KerasHub's own handle for this preset (`kaggle://keras/bert/keras/bert_base_en_uncased/3`), its
    /// KerasHub-layout files with `.weights.h5`; loadable as a preset too.
    public var kerasHubHandle: String? = nil

    enum CodingKeys: String, CodingKey {
        case name, className = "class_name", description, parameters, config, bundled, source, tokenizer, tasks
        case kerasHubHandle = "kerashub_handle"
    }
}

/// The built-in presets.
public struct PresetRegistry: Sendable {
    struct File: Codable { var format: Int; var presets: [BuiltInPreset] }

    /// Every built-in preset, in registry order.
    public let presets: [BuiltInPreset]

    /// The registry shipped in `Presets/registry.json`.
    public static let builtIn: PresetRegistry = {
        do { return try PresetRegistry(contentsOf: PresetData.url(for: "registry.json")) } catch {
            // The file ships inside the package; failing to read it is a packaging bug.
            fatalError("the bundled Presets/registry.json is unreadable: \(error)")
        }
    }()

    /// A registry of the given presets.
    public init(presets: [BuiltInPreset]) { self.presets = presets }

    /// Reads a registry file.
    /// - Throws: ``PresetError`` naming the file.
    public init(contentsOf url: URL?) throws {
        guard let url else { throw PresetError.missingFile(file: "Presets/registry.json") }
        do {
            presets = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).presets
        } catch {
            throw PresetError.invalidFile(file: url.path, reason: ConfigError.describe(error))
        }
    }

    /// The preset called `name`.
    public func preset(named name: String) -> BuiltInPreset? { presets.first { $0.name == name } }

    /// Up to `limit` preset names closest to `name` (edit distance, then shared prefix).
    public func closestNames(to name: String, limit: Int = 3) -> [String] {
        let query = Array(name.lowercased().utf8)
        let scored = presets.map { preset -> (String, Int) in
            let candidate = Array(preset.name.utf8)
            let distance = Self.editDistance(query, candidate)
            let contains = preset.name.contains(name.lowercased()) && !name.isEmpty
            return (preset.name, contains ? 0 : distance)
        }
        let threshold = max(3, name.count / 2)
        return scored.filter { $0.1 <= threshold }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// The URL of a file shipped under `Presets/`.
    static func bundledFile(_ relativePath: String) -> URL? {
        guard let first = relativePath.split(separator: "/").first.map(String.init), let root = PresetData.url(for: first) else {
            return nil
        }
        let rest = relativePath.split(separator: "/").dropFirst().joined(separator: "/")
        return rest.isEmpty ? root : root.appendingPathComponent(rest)
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
