import Foundation
import KerasHubTokenizers

/// How presets read and write ``BertTokenizer`` and ``DistilBertTokenizer`` (WordPiece with BERT's
/// special tokens): KerasHub's `tokenizer.json` + `assets/tokenizer/vocabulary.txt`, or a
/// transformers checkpoint's `vocab.txt` + `tokenizer_config.json`.
struct BertTokenizerDescriptor<T: BertFamilyTokenizer>: TokenizerDescriptor {
    let className: String
    let module: String
    var assets: [String] { ["assets/tokenizer/vocabulary.txt"] }

    func describes(_ tokenizer: any TokenizerProtocol) -> Bool { tokenizer is T }

    /// KerasHub's WordPiece options, with BERT's five special tokens.
    func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws -> any TokenizerProtocol {
        try T(wordPiece: WordPieceTokenizerDescriptor.wordPiece(
            kerasHubConfig: config, assets: assets, sequenceLength: sequenceLength, specialTokens: BertSpecialTokenIds.tokens))
    }

    func loadTransformers(_ files: any PresetFiles) throws -> any TokenizerProtocol {
        let options = try files.optionalJSONObject("tokenizer_config.json")
        return try T(wordPiece: Self.transformersWordPiece(
            vocabularyFile: files.requiredPath("vocab.txt"), lowercase: options["do_lower_case"]?.boolValue ?? true,
            stripAccents: options["strip_accents"]?.boolValue, splitOnCJK: options["tokenize_chinese_chars"]?.boolValue ?? true))
    }

    func loadBundled(vocabulary: URL, merges: URL?, lowercase: Bool) throws -> (any TokenizerProtocol)? {
        try T(wordPiece: Self.transformersWordPiece(vocabularyFile: vocabulary.path, lowercase: lowercase, stripAccents: nil))
    }

    func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue] {
        guard let bert = tokenizer as? T else {
            throw PresetError.unknownClass(file: assets.path, name: "\(type(of: tokenizer))", known: [className])
        }
        var config = try WordPieceTokenizerDescriptor().save(bert.wordPiece, assets: assets)
        config["special_tokens"] = .null
        return config
    }

    /// BERT's WordPiece as transformers' `BertTokenizerFast` configures it: accents stripped when
    /// lowercasing unless `stripAccents` says otherwise, and the special tokens (`[CLS]`, `[SEP]`,
    /// `[PAD]`, `[MASK]`, `[UNK]`) matched literally in text, as transformers always matches them.
    static func transformersWordPiece(vocabularyFile: String, lowercase: Bool, stripAccents: Bool?, splitOnCJK: Bool = true) throws
        -> WordPieceTokenizer {
        try WordPieceTokenizer(
            vocabularyFile: vocabularyFile, lowercase: lowercase, stripAccents: stripAccents, splitOnCJK: splitOnCJK,
            oovToken: "[UNK]", specialTokens: BertSpecialTokenIds.tokens, specialTokensInStrings: true)
    }
}

/// KerasHub's generic `WordPieceTokenizer` class.
public struct WordPieceTokenizerDescriptor: TokenizerDescriptor {
    /// Creates the descriptor.
    public init() {}
    /// `WordPieceTokenizer`.
    public var className: String { "WordPieceTokenizer" }
    /// KerasHub's module.
    public var module: String { "keras_hub.src.tokenizers.word_piece_tokenizer" }
    /// `vocabulary.txt`.
    public var assets: [String] { ["assets/tokenizer/vocabulary.txt"] }

    /// Whether `tokenizer` is a ``WordPieceTokenizer``.
    public func describes(_ tokenizer: any TokenizerProtocol) -> Bool { tokenizer is WordPieceTokenizer }

    /// Reads KerasHub's options.
    public func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws
        -> any TokenizerProtocol {
        try Self.wordPiece(
            kerasHubConfig: config, assets: assets, sequenceLength: sequenceLength,
            specialTokens: config["special_tokens"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// A WordPiece tokenizer with KerasHub's options from `config` and the given special tokens;
    /// `detokenize` joins pieces with spaces without transformers' clean-up, as KerasHub's does.
    static func wordPiece(
        kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?, specialTokens: [String]
    ) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(
            vocabularyFile: assets.path("vocabulary.txt"), lowercase: config["lowercase"]?.boolValue ?? false,
            stripAccents: config["strip_accents"]?.boolValue ?? false, split: config["split"]?.boolValue ?? true,
            splitOnCJK: config["split_on_cjk"]?.boolValue ?? true, suffixIndicator: config["suffix_indicator"]?.stringValue ?? "##",
            oovToken: config["oov_token"]?.stringValue ?? "[UNK]", specialTokens: specialTokens,
            specialTokensInStrings: config["special_tokens_in_strings"]?.boolValue ?? false, cleanUpTokenizationSpaces: false,
            sequenceLength: sequenceLength, textHandling: .kerasHub)
    }

    /// Writes `vocabulary.txt` and KerasHub's options.
    public func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue] {
        guard let wordPiece = tokenizer as? WordPieceTokenizer else {
            throw PresetError.unknownClass(file: assets.path, name: "\(type(of: tokenizer))", known: [className])
        }
        let text = wordPiece.vocabulary.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: assets.appendingPathComponent("vocabulary.txt"), options: .atomic)
        return [
            "vocabulary": .null, "lowercase": .bool(wordPiece.lowercase), "strip_accents": .bool(wordPiece.stripAccents),
            "split": .bool(wordPiece.split), "split_on_cjk": .bool(wordPiece.splitOnCJK),
            "suffix_indicator": .string(wordPiece.suffixIndicator), "oov_token": .string(wordPiece.oovToken),
            "special_tokens": .array(wordPiece.specialTokens.map { .string($0) }),
            "special_tokens_in_strings": .bool(wordPiece.specialTokensInStrings),
        ]
    }
}
