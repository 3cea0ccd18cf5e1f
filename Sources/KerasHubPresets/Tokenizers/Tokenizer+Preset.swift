import Foundation
import KerasHubModels
import KerasHubTokenizers

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
        if let typed = (loaded as? any ModelTokenizer)?.baseTokenizer as? Self { return typed }
        throw PresetError.wrongClass(preset: preset, expected: "\(Self.self)", found: "\(type(of: loaded))")
    }

    /// Writes the tokenizer in the KerasHub layout: `tokenizer.json` and its assets under
    /// `assets/tokenizer/` (vocabulary.txt, vocabulary.json + merges.txt, or vocabulary.spm).
    /// - Throws: ``PresetError/unknownClass(file:name:known:)`` for a tokenizer of no known class.
    public func saveToPreset(_ directory: URL) throws {
        let base: any TokenizerProtocol = (self as? Tokenizer)?.base ?? self
        guard let descriptor = TokenizerClasses.of(base) else {
            throw PresetError.unknownClass(file: directory.path, name: "\(type(of: base))", known: TokenizerClasses.all.map(\.className))
        }
        let assets = directory.appendingPathComponent("assets/tokenizer")
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        var config = try descriptor.save(base, assets: assets)
        config["name"] = .string(kerasSnakeCase(descriptor.className))
        config["trainable"] = .bool(true)
        config["dtype"] = .string("int32")
        config["sequence_length"] = sequenceLength.map { .number(Double($0)) } ?? .null
        let object = KerasHubObject(
            module: descriptor.module, className: descriptor.className, config: config,
            registeredName: "keras_hub>\(descriptor.className)", assets: descriptor.assets)
        try object.write(to: directory.appendingPathComponent("tokenizer.json"))
    }
}
