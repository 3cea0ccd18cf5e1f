import Foundation

extension TokenizerProtocol {
    /// Loads a tokenizer from a preset: a local directory (KerasHub `tokenizer.json` + assets, or a
    /// transformers checkpoint's vocabulary files), an `hf://` handle, or a built-in name. Only the
    /// tokenizer's own files are read: no config or weights are needed, and built-in presets whose
    /// vocabulary ships with the package (`gpt2_base_en`, `distil_bert_base_en_uncased`, …) load offline.
    ///
    /// `Tokenizer.fromPreset` returns whatever class the preset names; a concrete class
    /// (`GPT2Tokenizer.fromPreset`) returns that class or throws ``PresetError/wrongClass(preset:expected:found:)``.
    public static func fromPreset(_ preset: String) throws -> Self {
        let loaded: any TokenizerProtocol
        if let builtIn = PresetRegistry.builtIn.preset(named: preset), builtIn.bundled == nil,
           let bundled = try TokenizerLoader.loadBundled(builtIn) {
            loaded = bundled
        } else {
            loaded = try TokenizerLoader.load(PresetResolver.resolve(preset, for: .tokenizer))
        }
        if let wrapped = Tokenizer(loaded) as? Self { return wrapped }
        if let typed = loaded as? Self { return typed }
        if let wordPiece = (loaded as? BertTokenizer)?.wordPiece ?? (loaded as? DistilBertTokenizer)?.wordPiece,
           let typed = wordPiece as? Self {
            return typed
        }
        if let bytePair = (loaded as? GPT2Tokenizer)?.bytePair, let typed = bytePair as? Self { return typed }
        throw PresetError.wrongClass(preset: preset, expected: "\(Self.self)", found: "\(type(of: loaded))")
    }

    /// Writes the tokenizer in the KerasHub layout: `tokenizer.json` and its assets under
    /// `assets/tokenizer/` (vocabulary.txt, vocabulary.json + merges.txt, or vocabulary.spm).
    /// - Throws: ``PresetError/unknownClass(file:name:known:)`` for a tokenizer of no known class.
    public func saveToPreset(_ directory: URL) throws {
        let base: any TokenizerProtocol = (self as? Tokenizer)?.base ?? self
        guard let family = TokenizerFamily(tokenizer: base) else {
            throw PresetError.unknownClass(file: directory.path, name: "\(type(of: base))", known: TokenizerFamily.allCases.map(\.rawValue))
        }
        let assets = directory.appendingPathComponent("assets/tokenizer")
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        var config: [String: JSONValue] = [
            "name": .string(BackboneFamily.snakeCase(family.rawValue)), "trainable": .bool(true), "dtype": .string("int32"),
            "sequence_length": sequenceLength.map { .number(Double($0)) } ?? .null,
        ]
        func vocabularyLines() -> String {
            (0..<vocabularySize).map { idToToken(Int32($0)) ?? "" }.joined(separator: "\n") + "\n"
        }
        switch base {
        case let wordPiece as WordPieceTokenizer:
            try write(wordPiece, family: family, into: &config, assets: assets)
        case let bert as BertTokenizer:
            try write(bert.wordPiece, family: family, into: &config, assets: assets)
        case let distilBert as DistilBertTokenizer:
            try write(distilBert.wordPiece, family: family, into: &config, assets: assets)
        case let gpt2 as GPT2Tokenizer:
            try Self.writeBytePair(gpt2.bytePair, assets: assets)
        case let bytePair as BytePairTokenizer:
            try Self.writeBytePair(bytePair, assets: assets)
            config["add_prefix_space"] = .bool(bytePair.addPrefixSpace)
            config["unsplittable_tokens"] = .array(bytePair.unsplittableTokens.map { .string($0) })
        case let sentencePiece as SentencePieceTokenizer:
            try Data(sentencePiece.serializedModel).write(to: assets.appendingPathComponent("vocabulary.spm"), options: .atomic)
            config["proto"] = .null
            config["add_bos"] = .bool(sentencePiece.addBos)
            config["add_eos"] = .bool(sentencePiece.addEos)
        default:
            try Data(vocabularyLines().utf8).write(to: assets.appendingPathComponent("vocabulary.txt"), options: .atomic)
        }
        let object = KerasHubObject(
            module: family.module, className: family.rawValue, config: config, registeredName: "keras_hub>\(family.rawValue)",
            assets: family.assets)
        try object.write(to: directory.appendingPathComponent("tokenizer.json"))
    }

    private func write(_ wordPiece: WordPieceTokenizer, family: TokenizerFamily, into config: inout [String: JSONValue], assets: URL) throws {
        let text = wordPiece.vocabulary.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: assets.appendingPathComponent("vocabulary.txt"), options: .atomic)
        config["vocabulary"] = .null
        config["lowercase"] = .bool(wordPiece.lowercase)
        config["strip_accents"] = .bool(wordPiece.stripAccents)
        config["split"] = .bool(wordPiece.split)
        config["split_on_cjk"] = .bool(wordPiece.splitOnCJK)
        config["suffix_indicator"] = .string(wordPiece.suffixIndicator)
        config["oov_token"] = .string(wordPiece.oovToken)
        config["special_tokens"] = family == .wordPiece ? .array(wordPiece.specialTokens.map { .string($0) }) : .null
        config["special_tokens_in_strings"] = .bool(wordPiece.specialTokensInStrings)
    }

    private static func writeBytePair(_ bytePair: BytePairTokenizer, assets: URL) throws {
        var vocabulary: [String: JSONValue] = [:]
        for id in 0..<bytePair.vocabularySize {
            if let token = bytePair.idToToken(Int32(id)) { vocabulary[token] = .number(Double(id)) }
        }
        try JSONValue.object(vocabulary).prettyData().write(to: assets.appendingPathComponent("vocabulary.json"), options: .atomic)
        let merges = "#version: 0.2\n" + bytePair.mergeRules.joined(separator: "\n") + "\n"
        try Data(merges.utf8).write(to: assets.appendingPathComponent("merges.txt"), options: .atomic)
    }
}
