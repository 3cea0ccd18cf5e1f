import Foundation
import KerasHubTokenizers

/// How presets read and write ``GPT2Tokenizer``: KerasHub's `tokenizer.json` +
/// `assets/tokenizer/vocabulary.json` and `merges.txt`, or a transformers checkpoint's
/// `vocab.json` + `merges.txt`.
struct GPT2TokenizerDescriptor: TokenizerDescriptor {
    var className: String { "GPT2Tokenizer" }
    var module: String { "keras_hub.src.models.gpt2.gpt2_tokenizer" }
    var assets: [String] { ["assets/tokenizer/vocabulary.json", "assets/tokenizer/merges.txt"] }

    func describes(_ tokenizer: any TokenizerProtocol) -> Bool { tokenizer is GPT2Tokenizer }

    func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws -> any TokenizerProtocol {
        try GPT2Tokenizer(
            vocabularyFile: assets.path("vocabulary.json"), mergesFile: assets.path("merges.txt"), sequenceLength: sequenceLength,
            addPrefixSpace: config["add_prefix_space"]?.boolValue ?? false, splitPattern: .wholeText)
    }

    /// transformers' `GPT2TokenizerFast`: `<|endoftext|>` matched in text, and `add_prefix_space` from
    /// `tokenizer_config.json` (false when absent).
    func loadTransformers(_ files: any PresetFiles) throws -> any TokenizerProtocol {
        let options = try files.optionalJSONObject("tokenizer_config.json")
        return try GPT2Tokenizer(
            vocabularyFile: files.requiredPath("vocab.json"), mergesFile: files.requiredPath("merges.txt"),
            addPrefixSpace: options["add_prefix_space"]?.boolValue ?? false)
    }

    func loadBundled(vocabulary: URL, merges: URL?, lowercase: Bool) throws -> (any TokenizerProtocol)? {
        guard let merges else { return nil }
        return try GPT2Tokenizer(vocabularyFile: vocabulary.path, mergesFile: merges.path)
    }

    func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue] {
        guard let gpt2 = tokenizer as? GPT2Tokenizer else {
            throw PresetError.unknownClass(file: assets.path, name: "\(type(of: tokenizer))", known: [className])
        }
        try BytePairTokenizerDescriptor.writeAssets(gpt2.bytePair, to: assets)
        return ["add_prefix_space": .bool(gpt2.bytePair.addPrefixSpace), "unsplittable_tokens": .array([.string(GPT2Tokenizer.endOfText)])]
    }
}

/// KerasHub's generic `BytePairTokenizer` class.
public struct BytePairTokenizerDescriptor: TokenizerDescriptor {
    /// Creates the descriptor.
    public init() {}
    /// `BytePairTokenizer`.
    public var className: String { "BytePairTokenizer" }
    /// KerasHub's module.
    public var module: String { "keras_hub.src.tokenizers.byte_pair_tokenizer" }
    /// `vocabulary.json` and `merges.txt`.
    public var assets: [String] { ["assets/tokenizer/vocabulary.json", "assets/tokenizer/merges.txt"] }

    /// Whether `tokenizer` is a ``BytePairTokenizer``.
    public func describes(_ tokenizer: any TokenizerProtocol) -> Bool { tokenizer is BytePairTokenizer }

    /// Reads KerasHub's options.
    public func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws
        -> any TokenizerProtocol {
        try BytePairTokenizer(
            vocabularyFile: assets.path("vocabulary.json"), mergesFile: assets.path("merges.txt"), sequenceLength: sequenceLength,
            addPrefixSpace: config["add_prefix_space"]?.boolValue ?? false,
            unsplittableTokens: config["unsplittable_tokens"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            splitPattern: .wholeText)
    }

    /// Writes the vocabulary, the merges and KerasHub's options.
    public func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue] {
        guard let bytePair = tokenizer as? BytePairTokenizer else {
            throw PresetError.unknownClass(file: assets.path, name: "\(type(of: tokenizer))", known: [className])
        }
        try Self.writeAssets(bytePair, to: assets)
        return [
            "add_prefix_space": .bool(bytePair.addPrefixSpace),
            "unsplittable_tokens": .array(bytePair.unsplittableTokens.map { .string($0) }),
        ]
    }

    /// Writes `vocabulary.json` and `merges.txt` as KerasHub does.
    static func writeAssets(_ bytePair: BytePairTokenizer, to assets: URL) throws {
        var vocabulary: [String: JSONValue] = [:]
        for id in 0..<bytePair.vocabularySize {
            if let token = bytePair.idToToken(Int32(id)) { vocabulary[token] = .number(Double(id)) }
        }
        try JSONValue.object(vocabulary).prettyData().write(to: assets.appendingPathComponent("vocabulary.json"), options: .atomic)
        let merges = "#version: 0.2\n" + bytePair.mergeRules.joined(separator: "\n") + "\n"
        try Data(merges.utf8).write(to: assets.appendingPathComponent("merges.txt"), options: .atomic)
    }
}
