import Foundation

/// The files of one preset directory, as a model family's loaders see them: existence checks and
/// paths, with errors that name the file. `PresetDirectory` (in KerasHubPresets) conforms.
public protocol PresetFiles: Sendable {
    /// The preset as the user named it (for messages).
    var name: String { get }
    /// Whether the preset has a file at `relativePath`.
    func has(_ relativePath: String) -> Bool
    /// The URL of the file at `relativePath` (whether or not it exists).
    func file(_ relativePath: String) -> URL
}

extension PresetFiles {
    /// The path of a file that must exist.
    /// - Throws: ``PresetError/missingFile(file:)``.
    public func requiredPath(_ relativePath: String) throws -> String {
        guard has(relativePath) else { throw PresetError.missingFile(file: file(relativePath).path) }
        return file(relativePath).path
    }

    /// A JSON object file of the preset.
    /// - Throws: ``PresetError`` naming the file when it is missing or not a JSON object.
    public func jsonObject(_ relativePath: String) throws -> [String: JSONValue] {
        try JSONFile.readObject(file(relativePath))
    }

    /// A JSON object file of the preset, or an empty object when the file is absent.
    /// - Throws: ``PresetError`` naming the file when it exists but is not a JSON object.
    public func optionalJSONObject(_ relativePath: String) throws -> [String: JSONValue] {
        has(relativePath) ? try jsonObject(relativePath) : [:]
    }
}
