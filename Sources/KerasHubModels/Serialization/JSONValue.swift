import Foundation

/// Any JSON value, for config files whose nested parts are decoded later by class name.
public enum JSONValue: Codable, Sendable, Equatable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Encodes the value as JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The members of an object, or `nil`.
    public var objectValue: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    /// The string, or `nil`.
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    /// The boolean, or `nil`.
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The number as an integer when it is one, or `nil`.
    public var intValue: Int? {
        if case .number(let value) = self, value.rounded() == value, abs(value) < 1e15 { return Int(value) }
        return nil
    }
    /// The number, or `nil`.
    public var doubleValue: Double? { if case .number(let value) = self { value } else { nil } }
    /// The elements of an array, or `nil`.
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }

    /// Member `key` of an object.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// Decodes this value as `T`; errors name the coding path of the value at fault.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder(self).decode(T.self)
    }

    /// The value of an `Encodable` as JSON.
    public static func encoding<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// Pretty-printed, key-sorted JSON text.
    public func prettyData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
