import Foundation
import KerasHubTokenizers

/// RoBERTa's byte-level BPE tokenizer, as KerasHub's `RobertaTokenizer` and transformers'
/// `RobertaTokenizer`: GPT-2's byte-level BPE with the special tokens `<s>` (start), `<pad>`,
/// `</s>` (end and separator), `<unk>` and `<mask>`. The `unsplittableTokens` are matched literally
/// in the input text: all five for a transformers checkpoint (the default), KerasHub's four
/// (`<s> </s> <mask> <pad>`, as its `tokenizer.json` lists them) for a KerasHub preset.
public struct RobertaTokenizer: TokenizerProtocol {
    /// RoBERTa's special tokens.
    public static let specialTokenStrings = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

    /// The underlying byte-pair tokenizer.
    public let bytePair: BytePairTokenizer
    /// Id of `<s>`.
    public let startTokenId: Int32
    /// Id of `</s>`.
    public let endTokenId: Int32
    /// Id of `<pad>`.
    public let padTokenId: Int32
    /// Id of `<mask>`.
    public let maskTokenId: Int32
    /// The tokens matched literally in the input text.
    public var unsplittableTokens: [String] { bytePair.unsplittableTokens }

    /// Creates the tokenizer from a vocabulary (byte-level token -> id) and merge rules.
    /// - Throws: `TokenizerError.missingSpecialToken` when a special token is absent, and the
    ///   other errors of `BytePairTokenizer`.
    /// - Parameters:
    ///   - addPrefixSpace: prepend a space to text that does not start with one (`add_prefix_space`).
    ///   - splitPattern: GPT-2's pre-tokenizer (transformers) or Llama 3's (KerasHub).
    public init(
        vocabulary: [String: Int32], merges: [String], sequenceLength: Int? = nil,
        unsplittableTokens: [String] = RobertaTokenizer.specialTokenStrings, addPrefixSpace: Bool = false,
        splitPattern: BytePairTokenizer.SplitPattern = .gpt2
    ) throws {
        try self.init(bytePair: BytePairTokenizer(
            vocabulary: vocabulary, merges: merges, sequenceLength: sequenceLength, addPrefixSpace: addPrefixSpace,
            unsplittableTokens: unsplittableTokens, splitPattern: splitPattern))
    }

    /// Creates the tokenizer from `vocab.json` / `vocabulary.json` and `merges.txt` files.
    /// - Throws: as ``init(vocabulary:merges:sequenceLength:unsplittableTokens:addPrefixSpace:splitPattern:)``, naming the file.
    public init(
        vocabularyFile: String, mergesFile: String, sequenceLength: Int? = nil,
        unsplittableTokens: [String] = RobertaTokenizer.specialTokenStrings, addPrefixSpace: Bool = false,
        splitPattern: BytePairTokenizer.SplitPattern = .gpt2
    ) throws {
        try self.init(bytePair: BytePairTokenizer(
            vocabularyFile: vocabularyFile, mergesFile: mergesFile, sequenceLength: sequenceLength, addPrefixSpace: addPrefixSpace,
            unsplittableTokens: unsplittableTokens, splitPattern: splitPattern))
    }

    /// KerasHub's unsplittable tokens for RoBERTa (`<unk>` is not one).
    public static let kerasHubUnsplittableTokens = ["<s>", "</s>", "<mask>", "<pad>"]

    private init(bytePair: BytePairTokenizer) throws {
        func id(_ token: String) throws -> Int32 {
            guard let id = bytePair.tokenToId(token) else { throw TokenizerError.missingSpecialToken(token) }
            return id
        }
        self.bytePair = bytePair
        startTokenId = try id("<s>")
        padTokenId = try id("<pad>")
        endTokenId = try id("</s>")
        maskTokenId = try id("<mask>")
    }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { bytePair.vocabularySize }
    /// The special tokens.
    public var specialTokens: [String] { bytePair.specialTokens }
    /// The ids of `specialTokens`, in the same order.
    public var specialTokenIds: [Int32] { bytePair.specialTokenIds }
    /// Output length of the batch `tokenize`, or `nil` for ragged output.
    public var sequenceLength: Int? { bytePair.sequenceLength }
    /// Splits `text` into token ids (no special tokens are added).
    public func tokenize(_ text: String) -> [Int32] { bytePair.tokenize(text) }
    /// Tokenizes a batch across all cores, with the byte-pair tokenizer's per-worker cache.
    public func tokenize(_ texts: [String]) -> [[Int32]] { bytePair.tokenize(texts) }
    /// Turns token ids back into text.
    public func detokenize(_ ids: [Int32]) -> String { bytePair.detokenize(ids) }
    /// The token for `id`, or `nil` when out of range.
    public func idToToken(_ id: Int32) -> String? { bytePair.idToToken(id) }
    /// The id of `token`, or `nil` when it is not in the vocabulary.
    public func tokenToId(_ token: String) -> Int32? { bytePair.tokenToId(token) }
}

extension RobertaTokenizer: ModelTokenizer {
    /// The byte-pair tokenizer.
    public var baseTokenizer: any TokenizerProtocol { bytePair }
}

/// How presets read and write ``RobertaTokenizer``: KerasHub's `tokenizer.json` +
/// `assets/tokenizer/vocabulary.json` and `merges.txt`, or a transformers checkpoint's
/// `vocab.json` + `merges.txt`.
struct RobertaTokenizerDescriptor: TokenizerDescriptor {
    var className: String { "RobertaTokenizer" }
    var module: String { "keras_hub.src.models.roberta.roberta_tokenizer" }
    var assets: [String] { ["assets/tokenizer/vocabulary.json", "assets/tokenizer/merges.txt"] }

    func describes(_ tokenizer: any TokenizerProtocol) -> Bool { tokenizer is RobertaTokenizer }

    func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws -> any TokenizerProtocol {
        try RobertaTokenizer(
            vocabularyFile: assets.path("vocabulary.json"), mergesFile: assets.path("merges.txt"), sequenceLength: sequenceLength,
            unsplittableTokens: config["unsplittable_tokens"]?.arrayValue?.compactMap(\.stringValue)
                ?? RobertaTokenizer.kerasHubUnsplittableTokens,
            addPrefixSpace: config["add_prefix_space"]?.boolValue ?? false, splitPattern: .wholeText)
    }

    /// transformers' `RobertaTokenizerFast`: all five special tokens matched in text, and
    /// `add_prefix_space` from `tokenizer_config.json` (false when absent).
    func loadTransformers(_ files: any PresetFiles) throws -> any TokenizerProtocol {
        let options = try files.optionalJSONObject("tokenizer_config.json")
        return try RobertaTokenizer(
            vocabularyFile: files.requiredPath("vocab.json"), mergesFile: files.requiredPath("merges.txt"),
            addPrefixSpace: options["add_prefix_space"]?.boolValue ?? false)
    }

    func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue] {
        guard let roberta = tokenizer as? RobertaTokenizer else {
            throw PresetError.unknownClass(file: assets.path, name: "\(type(of: tokenizer))", known: [className])
        }
        try BytePairTokenizerDescriptor.writeAssets(roberta.bytePair, to: assets)
        return [
            "add_prefix_space": .bool(roberta.bytePair.addPrefixSpace),
            "unsplittable_tokens": .array(roberta.unsplittableTokens.map { .string($0) }),
        ]
    }
}

extension TextClassifierPreprocessor.SpecialIds {
    /// RoBERTa's `<s> a </s></s> b </s>` with `<pad>` and `<mask>`.
    public init(roberta tokenizer: RobertaTokenizer) {
        self.init(
            start: tokenizer.startTokenId, end: tokenizer.endTokenId, separator: [tokenizer.endTokenId, tokenizer.endTokenId],
            pad: tokenizer.padTokenId, mask: tokenizer.maskTokenId)
    }
}
