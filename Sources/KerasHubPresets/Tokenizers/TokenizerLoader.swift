import Foundation

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
        guard let vocabulary = preset.tokenizer.vocabulary.flatMap(PresetRegistry.bundledFile) else { return nil }
        let lowercase = preset.tokenizer.lowercase ?? false
        switch TokenizerFamily(className: preset.tokenizer.className) {
        case .bert: return try BertTokenizer(wordPiece: bertWordPiece(vocabularyFile: vocabulary.path, lowercase: lowercase, stripAccents: nil))
        case .distilBert: return try DistilBertTokenizer(wordPiece: bertWordPiece(vocabularyFile: vocabulary.path, lowercase: lowercase, stripAccents: nil))
        case .gpt2:
            guard let merges = preset.tokenizer.merges.flatMap(PresetRegistry.bundledFile) else { return nil }
            return try GPT2Tokenizer(vocabularyFile: vocabulary.path, mergesFile: merges.path)
        default:
            return nil
        }
    }

    // MARK: KerasHub layout

    static func load(kerasHub object: KerasHubObject, directory: PresetDirectory) throws -> any TokenizerProtocol {
        let file = directory.file("tokenizer.json").path
        guard let family = TokenizerFamily(className: object.className) else {
            throw PresetError.unknownClass(file: file, name: object.className, known: TokenizerFamily.allCases.map(\.rawValue))
        }
        let config = object.config
        let assets = (object.assets?.isEmpty == false ? object.assets : nil) ?? family.assets
        func asset(_ suffix: String) throws -> String {
            let relative = assets.first { $0.hasSuffix(suffix) } ?? family.assets.first { $0.hasSuffix(suffix) } ?? suffix
            guard directory.has(relative) else { throw PresetError.missingFile(file: directory.file(relative).path) }
            return directory.file(relative).path
        }
        let sequenceLength = try Self.sequenceLength(config["sequence_length"], file: file)
        let lowercase = config["lowercase"]?.boolValue ?? false
        let stripAccents = config["strip_accents"]?.boolValue ?? false
        let inStrings = config["special_tokens_in_strings"]?.boolValue ?? false
        do {
            switch family {
            case .bert, .distilBert, .wordPiece:
                let specialTokens: [String] = family == .wordPiece
                    ? (config["special_tokens"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                    : BertTokenizer.specialTokenStrings
                let wordPiece = try WordPieceTokenizer(
                    vocabularyFile: try asset("vocabulary.txt"), lowercase: lowercase, stripAccents: stripAccents,
                    split: config["split"]?.boolValue ?? true, splitOnCJK: config["split_on_cjk"]?.boolValue ?? true,
                    suffixIndicator: config["suffix_indicator"]?.stringValue ?? "##",
                    oovToken: config["oov_token"]?.stringValue ?? "[UNK]", specialTokens: specialTokens,
                    specialTokensInStrings: inStrings, sequenceLength: sequenceLength)
                switch family {
                case .bert: return try BertTokenizer(wordPiece: wordPiece)
                case .distilBert: return try DistilBertTokenizer(wordPiece: wordPiece)
                default: return wordPiece
                }
            case .gpt2:
                return try GPT2Tokenizer(vocabularyFile: try asset("vocabulary.json"), mergesFile: try asset("merges.txt"), sequenceLength: sequenceLength)
            case .bytePair:
                return try BytePairTokenizer(
                    vocabularyFile: try asset("vocabulary.json"), mergesFile: try asset("merges.txt"), sequenceLength: sequenceLength,
                    addPrefixSpace: config["add_prefix_space"]?.boolValue ?? false,
                    unsplittableTokens: config["unsplittable_tokens"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            case .sentencePiece:
                return try SentencePieceTokenizer(
                    modelFile: try asset("vocabulary.spm"), addBos: config["add_bos"]?.boolValue ?? false,
                    addEos: config["add_eos"]?.boolValue ?? false, sequenceLength: sequenceLength)
            }
        } catch let error as TokenizerError {
            throw PresetError.invalidFile(file: file, reason: "\(object.className): \(error)")
        }
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

    static func loadTransformers(_ directory: PresetDirectory) throws -> any TokenizerProtocol {
        var modelType = "bert"
        if directory.has("config.json") {
            modelType = try TransformersConfig(contentsOf: directory.file("config.json")).modelType
        }
        let options = directory.has("tokenizer_config.json") ? try JSONFile.readObject(directory.file("tokenizer_config.json")) : [:]
        do {
            switch modelType {
            case "bert", "distilbert":
                guard directory.has("vocab.txt") else { throw PresetError.missingFile(file: directory.file("vocab.txt").path) }
                let wordPiece = try bertWordPiece(
                    vocabularyFile: directory.file("vocab.txt").path, lowercase: options["do_lower_case"]?.boolValue ?? true,
                    stripAccents: options["strip_accents"]?.boolValue,
                    splitOnCJK: options["tokenize_chinese_chars"]?.boolValue ?? true)
                return modelType == "bert" ? try BertTokenizer(wordPiece: wordPiece) : try DistilBertTokenizer(wordPiece: wordPiece)
            case "gpt2":
                for name in ["vocab.json", "merges.txt"] where !directory.has(name) {
                    throw PresetError.missingFile(file: directory.file(name).path)
                }
                return try GPT2Tokenizer(vocabularyFile: directory.file("vocab.json").path, mergesFile: directory.file("merges.txt").path)
            default:
                throw PresetError.unknownClass(file: directory.file("config.json").path, name: modelType, known: ["bert", "distilbert", "gpt2"])
            }
        } catch let error as TokenizerError {
            throw PresetError.invalidFile(file: directory.url.path, reason: "tokenizer: \(error)")
        }
    }

    /// BERT's WordPiece as transformers' `BertTokenizerFast` configures it: accents stripped when
    /// lowercasing unless `stripAccents` says otherwise.
    static func bertWordPiece(vocabularyFile: String, lowercase: Bool, stripAccents: Bool?, splitOnCJK: Bool = true) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(
            vocabularyFile: vocabularyFile, lowercase: lowercase, stripAccents: stripAccents, splitOnCJK: splitOnCJK,
            oovToken: "[UNK]", specialTokens: BertTokenizer.specialTokenStrings)
    }
}
