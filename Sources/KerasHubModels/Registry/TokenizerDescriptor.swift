import Foundation
import KerasHubTokenizers

/// The asset files of a KerasHub `tokenizer.json`, resolved against the preset directory.
public struct TokenizerAssets: Sendable {
    /// The preset's files.
    public let files: any PresetFiles
    /// The asset paths `tokenizer.json` lists (relative to the preset), or the class's defaults.
    public let paths: [String]

    /// Creates the asset list.
    public init(files: any PresetFiles, paths: [String]) {
        self.files = files
        self.paths = paths
    }

    /// The path of the asset whose name ends with `suffix` (`vocabulary.txt`, `merges.txt`…).
    /// - Throws: ``PresetError/missingFile(file:)`` when it is absent.
    public func path(_ suffix: String) throws -> String {
        try files.requiredPath(paths.first { $0.hasSuffix(suffix) } ?? "assets/tokenizer/" + suffix)
    }
}

/// One tokenizer class presets can name: its KerasHub class and module, how it is read from a
/// KerasHub `tokenizer.json` (and, for a model's tokenizer, from a transformers checkpoint), and how
/// it is written back. Each model family provides one; the generic tokenizers
/// (`WordPieceTokenizer`, `BytePairTokenizer`, `SentencePieceTokenizer`) have their own.
public protocol TokenizerDescriptor: Sendable {
    /// The KerasHub class name, e.g. `RobertaTokenizer`.
    var className: String { get }
    /// The KerasHub Python module of the class.
    var module: String { get }
    /// The asset files KerasHub writes for the class, relative to the preset directory.
    var assets: [String] { get }
    /// Whether `tokenizer` (unwrapped) is of this class.
    func describes(_ tokenizer: any TokenizerProtocol) -> Bool
    /// Builds the tokenizer from a KerasHub `tokenizer.json` `config` and its assets.
    func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws -> any TokenizerProtocol
    /// Builds the tokenizer from a transformers checkpoint's files (`vocab.txt`, `vocab.json` +
    /// `merges.txt`, `sentencepiece.bpe.model`, `tokenizer_config.json`…).
    func loadTransformers(_ files: any PresetFiles) throws -> any TokenizerProtocol
    /// Builds the tokenizer from files shipped with the package (a built-in preset's vocabulary), or
    /// `nil` when the class has no such form.
    func loadBundled(vocabulary: URL, merges: URL?, lowercase: Bool) throws -> (any TokenizerProtocol)?
    /// Writes the assets of `tokenizer` into `assets` (`assets/tokenizer/` of a preset) and returns
    /// the `config` members of its `tokenizer.json`.
    func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue]
}

extension TokenizerDescriptor {
    /// A generic tokenizer has no transformers form of its own.
    public func loadTransformers(_ files: any PresetFiles) throws -> any TokenizerProtocol {
        throw PresetError.unknownClass(file: files.file("config.json").path, name: className, known: [])
    }

    /// No bundled form by default.
    public func loadBundled(vocabulary: URL, merges: URL?, lowercase: Bool) throws -> (any TokenizerProtocol)? { nil }
}

/// `BertTokenizer` -> `bert_tokenizer`, `GPT2Backbone` -> `gpt2_backbone`, as Keras names layers.
public func kerasSnakeCase(_ name: String) -> String {
    var result = ""
    for (index, character) in name.enumerated() {
        if character.isUppercase, index > 0, let previous = result.last, previous.isLowercase { result += "_" }
        result += character.lowercased()
    }
    return result
}

/// A model's tokenizer that wraps one of the generic tokenizers (``BertTokenizer`` a
/// ``WordPieceTokenizer``, ``GPT2Tokenizer`` and ``RobertaTokenizer`` a ``BytePairTokenizer``), so
/// `WordPieceTokenizer.fromPreset` can answer for a BERT preset.
public protocol ModelTokenizer: TokenizerProtocol {
    /// The generic tokenizer underneath.
    var baseTokenizer: any TokenizerProtocol { get }
}
