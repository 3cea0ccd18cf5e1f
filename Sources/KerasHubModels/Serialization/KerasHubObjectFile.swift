import Foundation

/// A KerasHub serialized object, as in `config.json`, `tokenizer.json`, `preprocessor.json` and
/// `task.json`: `{"module", "class_name", "config", "registered_name"}` (plus `assets` for tokenizers).
public struct KerasHubObject: Codable, Sendable, Equatable {
    /// The Python module, e.g. `keras_hub.src.models.bert.bert_backbone`.
    public var module: String?
    /// The class, e.g. `BertBackbone`.
    public var className: String
    /// The constructor arguments.
    public var config: [String: JSONValue]
    /// The registered name, e.g. `keras_hub>BertBackbone`.
    public var registeredName: String?
    /// Asset files relative to the preset directory (tokenizers).
    public var assets: [String]?

    enum CodingKeys: String, CodingKey {
        case module, className = "class_name", config, registeredName = "registered_name", assets
    }

    /// Creates an object description.
    public init(module: String?, className: String, config: [String: JSONValue], registeredName: String?, assets: [String]? = nil) {
        self.module = module
        self.className = className
        self.config = config
        self.registeredName = registeredName
        self.assets = assets
    }

    /// Reads a KerasHub object file.
    /// - Throws: ``PresetError`` naming the file when it is missing, not JSON, not an object, or lacks `class_name`/`config`.
    public init(contentsOf url: URL) throws {
        try self.init(value: JSONFile.read(url), file: url.path)
    }

    /// Reads a KerasHub object from the bytes of its file.
    /// - Parameter file: the path used in error messages.
    /// - Throws: ``PresetError`` as ``init(contentsOf:)``.
    package init(data: Data, file: String) throws {
        try self.init(value: JSONFile.parse(data, file: file), file: file)
    }

    private init(value: JSONValue, file: String) throws {
        guard case .object(let members) = value else {
            throw PresetError.invalidFile(file: file, reason: "expected a JSON object")
        }
        guard let className = members["class_name"]?.stringValue else {
            throw PresetError.invalidFile(file: file, reason: "missing string 'class_name'")
        }
        guard let config = members["config"]?.objectValue else {
            throw PresetError.invalidFile(file: file, reason: "missing object 'config'")
        }
        self.init(
            module: members["module"]?.stringValue, className: className, config: config,
            registeredName: members["registered_name"]?.stringValue,
            assets: members["assets"]?.arrayValue?.compactMap(\.stringValue))
    }

    /// Decodes `config` as `T`, naming the file on failure.
    public func decodeConfig<T: Decodable>(_ type: T.Type, file: String) throws -> T {
        do {
            return try JSONValue.object(config).decode(T.self)
        } catch {
            throw PresetError.invalidFile(file: file, reason: "config for \(className): \(ConfigError.describe(error))")
        }
    }

    /// Writes the object as pretty-printed JSON.
    public func write(to url: URL) throws {
        try JSONValue.encoding(self).prettyData().write(to: url, options: .atomic)
    }
}

/// Reading JSON files with errors that name the file.
package enum JSONFile {
    /// The largest JSON file read (a transformers `tokenizer.json` is at most a few tens of MB);
    /// a larger one is refused before any of it is read.
    package static let maximumBytes = 128 << 20

    package static func read(_ url: URL) throws -> JSONValue {
        guard FileManager.default.fileExists(atPath: url.path) else { throw PresetError.missingFile(file: url.path) }
        // Checked before reading: Foundation's `Data(contentsOf:)` leaks a 4 KiB buffer on an empty
        // file (seen under LeakSanitizer with the Swift 6.3 toolchain).
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int {
            if size == 0 { throw PresetError.invalidFile(file: url.path, reason: "empty file") }
            if size > maximumBytes {
                throw PresetError.invalidFile(file: url.path, reason: "\(size) bytes, more than the \(maximumBytes >> 20) MiB a JSON file may have")
            }
        }
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw PresetError.invalidFile(file: url.path, reason: "not a regular file")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PresetError.invalidFile(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, file: url.path)
    }

    /// Parses the bytes of a JSON file; `file` names it in errors.
    package static func parse(_ data: Data, file: String) throws -> JSONValue {
        guard !data.isEmpty else { throw PresetError.invalidFile(file: file, reason: "empty file") }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw PresetError.invalidFile(file: file, reason: "not valid JSON: \(ConfigError.describe(error))")
        }
    }

    package static func readObject(_ url: URL) throws -> [String: JSONValue] {
        guard case .object(let members) = try read(url) else {
            throw PresetError.invalidFile(file: url.path, reason: "expected a JSON object")
        }
        return members
    }
}
