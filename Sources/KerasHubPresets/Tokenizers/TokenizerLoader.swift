import Foundation
import KerasHubModels
import KerasHubTensor
import KerasHubTokenizers

/// Builds tokenizers from preset files: KerasHub's `tokenizer.json` with its assets, a transformers
/// checkpoint's `vocab.txt` / `vocab.json` + `merges.txt` (+ `tokenizer_config.json`), or a built-in
/// preset's bundled vocabulary.
enum TokenizerLoader {
    /// The tokenizer of a preset directory.
    static func load(_ directory: PresetDirectory) throws -> any TokenizerProtocol {
        if directory.has("tokenizer.json") {
            let parsed = Result { try KerasHubObject(contentsOf: directory.file("tokenizer.json")) }
            if case .success(let object) = parsed { return try load(kerasHub: object, directory: directory) }
            // A transformers checkpoint's tokenizer.json is another format; in any other directory a
            // tokenizer.json that does not parse is the error to report (not a missing config.json).
            if case .failure(let error) = parsed, (try? directory.layout()) != .transformers { throw error }
        }
        switch try directory.layout() {
        case .kerasHub:
            throw PresetError.missingFile(file: directory.file("tokenizer.json").path)
        case .transformers:
            return try loadTransformers(directory)
        }
    }

    /// A built-in preset's tokenizer from its bundled vocabulary, or `nil` when none ships.
    static func loadBundled(_ preset: BuiltInPreset) throws -> (any TokenizerProtocol)? {
        guard let vocabulary = preset.tokenizer.vocabulary.flatMap(PresetRegistry.bundledFile),
              let descriptor = TokenizerClasses.named(preset.tokenizer.className) else { return nil }
        return try descriptor.loadBundled(
            vocabulary: vocabulary, merges: preset.tokenizer.merges.flatMap(PresetRegistry.bundledFile),
            lowercase: preset.tokenizer.lowercase ?? false)
    }

    // MARK: KerasHub layout

    static func load(kerasHub object: KerasHubObject, directory: PresetDirectory) throws -> any TokenizerProtocol {
        let file = directory.file("tokenizer.json").path
        guard let descriptor = TokenizerClasses.named(object.className) else {
            throw PresetError.unknownClass(file: file, name: object.className, known: TokenizerClasses.all.map(\.className))
        }
        let sequenceLength = try Self.sequenceLength(object.config["sequence_length"], file: file)
        for path in object.assets ?? [] where !Self.staysInsidePreset(path) {
            throw PresetError.invalidFile(
                file: file, reason: "asset \(String(reflecting: path)) is not a path inside the preset directory")
        }
        let paths = (object.assets?.isEmpty == false ? object.assets : nil) ?? descriptor.assets
        for path in paths where !PresetContainment.resolves(directory.file(path), inside: directory.url) {
            throw PresetError.invalidFile(
                file: file, reason: "asset \(String(reflecting: path)) is a link to a file outside the preset directory")
        }
        let assets = TokenizerAssets(files: directory, paths: paths)
        do {
            return try descriptor.load(kerasHubConfig: object.config, assets: assets, sequenceLength: sequenceLength)
        } catch let error as TokenizerError {
            throw PresetError.invalidFile(file: file, reason: "\(object.className): \(error)")
        }
    }

    /// Whether an asset path named by `tokenizer.json` stays inside the preset: relative, with no `..`
    /// component, backslash or NUL (KerasHub writes `assets/tokenizer/<file>`). After this lexical
    /// check, the asset must also resolve inside the preset once links are followed
    /// (``PresetContainment``; a Hugging Face cache snapshot's links into its blob store are allowed).
    static func staysInsidePreset(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~"), !path.contains("\\"), !path.contains("\0") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." }
    }

    /// The largest `sequence_length` a tokenizer file may ask for (every batch row is padded to it,
    /// so an absurd value would otherwise be an absurd allocation).
    static let maximumSequenceLength = 1 << 24

    /// A config's `sequence_length`: `null` (or absent) for ragged output, else a positive integer
    /// up to ``maximumSequenceLength``.
    /// - Throws: ``PresetError/invalidFile(file:reason:)`` for any other value.
    static func sequenceLength(_ value: JSONValue?, file: String) throws -> Int? {
        guard let value, value != .null else { return nil }
        guard let length = value.intValue, length > 0, length <= maximumSequenceLength else {
            let found: String
            switch value {
            case .number(let number): found = "\(number)"
            case .string(let text): found = String(reflecting: text)
            case .bool(let flag): found = "\(flag)"
            default: found = "an array or object"
            }
            throw PresetError.invalidFile(file: file, reason: "'sequence_length' must be null or a positive integer up to \(maximumSequenceLength), found \(found)")
        }
        return length
    }

    // MARK: transformers layout

    /// A transformers checkpoint's tokenizer, through its family: the one `config.json` names, or
    /// without one the first family whose main tokenizer file is there (`vocab.txt`: BERT).
    static func loadTransformers(_ directory: PresetDirectory) throws -> any TokenizerProtocol {
        let modelType: String
        if directory.has("config.json") {
            modelType = try TransformersConfig(contentsOf: directory.file("config.json")).modelType
        } else if let family = ModelFamilies.builtIn.first(where: { $0.transformersFiles.first.map(directory.has) ?? false }),
                  let type = family.transformersModelTypes.first {
            modelType = type
        } else {
            throw PresetError.missingFile(file: directory.file("config.json").path)
        }
        guard let family = ModelFamilies.family(modelType: modelType) else {
            throw PresetError.unknownClass(
                file: directory.file("config.json").path, name: modelType, known: ModelFamilies.builtIn.flatMap(\.transformersModelTypes))
        }
        do {
            return try family.tokenizer.loadTransformers(directory)
        } catch let error as TokenizerError {
            throw PresetError.invalidFile(file: directory.url.path, reason: "tokenizer: \(error)")
        }
    }
}
