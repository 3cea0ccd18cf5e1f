import Foundation
import KerasHubTensor

/// A transformers `config.json`: its `model_type`, its `architectures` and every key as read. Each
/// model family decodes its own fields from ``object`` (`Bert/BertTransformersConfig.swift`,
/// `Roberta/RobertaTransformersConfig.swift`…).
public struct TransformersConfig: Sendable {
    /// `bert`, `distilbert`, `gpt2`, `roberta`… (inferred from the keys when the file has none).
    public var modelType: String
    /// Architecture class names, e.g. `["BertForMaskedLM"]`.
    public var architectures: [String]?
    /// Every key of the file.
    public var object: [String: JSONValue]

    /// Reads a `config.json`.
    /// - Throws: ``ConfigError`` naming the file when it is unreadable, not a JSON object, or has no
    ///   `model_type` and none can be inferred from its keys (``inferredModelType(keys:)``).
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data, file: url.path)
    }

    /// Reads a `config.json` from its bytes; `file` names it in errors.
    /// - Throws: ``ConfigError`` when the bytes are not a JSON object with a `model_type`.
    public init(data: Data, file: String) throws {
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw ConfigError.invalid(file: file, reason: ConfigError.describe(error))
        }
        guard let object = value.objectValue else { throw ConfigError.invalid(file: file, reason: "expected a JSON object") }
        guard let modelType = object["model_type"]?.stringValue ?? Self.inferredModelType(keys: Set(object.keys)) else {
            throw ConfigError.missingKey(file: file, key: "model_type")
        }
        self.modelType = modelType
        self.architectures = object["architectures"]?.arrayValue?.compactMap(\.stringValue)
        self.object = object
    }

    /// The `model_type` of a config that does not state one, told by its keys, as the oldest
    /// published checkpoints are written (e.g. `google/bert_uncased_L-2_H-128_A-2`, whose config has
    /// no `model_type`; transformers guesses it from the repository name). Each family says which
    /// keys are its own; `nil` when the keys fit none of them.
    public static func inferredModelType(keys: Set<String>) -> String? {
        ModelFamilies.inferredModelType(keys: keys)
    }
}

/// Field checks shared by the families' transformers configs.
public enum TransformersConfigField {
    /// A required, non-negative size.
    /// - Throws: ``ConfigError/missingKey(file:key:)`` or ``ConfigError/invalid(file:reason:)``.
    public static func required(_ value: Int?, _ key: String, _ file: String) throws -> Int {
        guard let value else { throw ConfigError.missingKey(file: file, key: key) }
        guard value >= 0 else { throw ConfigError.invalid(file: file, reason: "'\(key)' is negative (\(value))") }
        return value
    }

    /// An activation by its transformers name.
    /// - Throws: ``ConfigError/unsupported(file:reason:)`` for an unknown name.
    public static func activation(_ name: String, key: String, file: String) throws -> Activation {
        guard let activation = Activation(configName: name) else {
            throw ConfigError.unsupported(file: file, reason: "\(key) '\(name)'")
        }
        return activation
    }
}

/// Errors in a model's configuration file.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON of the expected form.
    case invalid(file: String, reason: String)
    /// A required key is absent.
    case missingKey(file: String, key: String)
    /// The config asks for something this library does not implement.
    case unsupported(file: String, reason: String)

    /// A message naming the file and what is wrong.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .invalid(let file, let reason): return "\(file): invalid config: \(reason)"
        case .missingKey(let file, let key): return "\(file): missing key '\(key)'"
        case .unsupported(let file, let reason): return "\(file): unsupported \(reason)"
        }
    }

    /// A short description of a decoding error: which key, what was wrong.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context): return "wrong type at '\(path(context))': \(context.debugDescription)"
        case .valueNotFound(_, let context): return "null at '\(path(context))'"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
