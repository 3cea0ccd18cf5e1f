/// Errors of preset resolution, loading and saving.
public enum PresetError: Error, Equatable, CustomStringConvertible {
    /// Not a directory, `hf://` handle or built-in name; `suggestions` are the closest built-in names.
    case unknownPreset(name: String, suggestions: [String])
    /// A file the layout needs is absent.
    case missingFile(file: String)
    /// A file is not what it should be (not JSON, not an object, a missing key…).
    case invalidFile(file: String, reason: String)
    /// The config names a class or `model_type` this library does not have.
    case unknownClass(file: String, name: String, known: [String])
    /// The preset holds another class than the one asked for (a GPT-2 preset for `BertBackbone`).
    case wrongClass(preset: String, expected: String, found: String)
    /// The requested dtype is not one this library computes in.
    case unsupportedDType(String)

    /// A message naming the preset or file and what is wrong.
    public var description: String {
        switch self {
        case .unknownPreset(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
            return "unknown preset '\(name)': not a directory, an hf:// handle or a built-in preset name\(hint)"
        case .missingFile(let file):
            return "\(file): missing"
        case .invalidFile(let file, let reason):
            return "\(file): \(reason)"
        case .unknownClass(let file, let name, let known):
            return "\(file): unknown class '\(name)' (known: \(known.joined(separator: ", ")))"
        case .wrongClass(let preset, let expected, let found):
            return "preset '\(preset)' holds a \(found), not a \(expected)"
        case .unsupportedDType(let dtype):
            return "dtype \(dtype) is not supported: models compute in float32 (float16 and bfloat16 weights are widened when loaded)"
        }
    }
}
