import Foundation
import KerasHubModels
import KerasHubTokenizers

extension TextClassifierPreprocessor {
    /// The text preprocessor of an encoder preset: its tokenizer, packed as its family packs
    /// (`[CLS] a [SEP]`, `<s> a </s></s> b </s>`…), with the sequence length and truncation of
    /// `preprocessor.json` (or sentence-transformers' `max_seq_length`, or the tokenizer's
    /// `model_max_length`), capped at the backbone's position table.
    /// - Throws: ``PresetError`` (``PresetError/wrongClass(preset:expected:found:)`` for a decoder preset).
    public static func fromPreset(_ preset: String) throws -> TextClassifierPreprocessor {
        if let builtIn = PresetRegistry.builtIn.preset(named: preset), builtIn.bundled == nil,
           let family = ModelFamilies.family(backboneClassName: builtIn.className),
           let tokenizer = try TokenizerLoader.loadBundled(builtIn),
           let preprocessor = try family.textPreprocessor(tokenizer: tokenizer, sequenceLength: 512, truncate: .roundRobin) {
            return preprocessor
        }
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: false))
        let family = try directory.family()
        guard let tokenizer = try PreprocessorLoader.tokenizer(directory),
              let preprocessor = try PreprocessorLoader.text(
                  directory, family: family, tokenizer: tokenizer, maximum: directory.maxSequenceLength()) else {
            throw PresetError.wrongClass(preset: preset, expected: "TextClassifierPreprocessor", found: family.backboneClassName)
        }
        return preprocessor
    }
}

extension CausalLMPreprocessor {
    /// The prompt preprocessor of a decoder preset (its tokenizer; `add_start_token` from `preprocessor.json`).
    /// - Throws: ``PresetError`` (``PresetError/wrongClass(preset:expected:found:)`` for an encoder preset).
    public static func fromPreset(_ preset: String) throws -> CausalLMPreprocessor {
        let tokenizer = try Tokenizer.fromPreset(preset)
        let family: any ModelFamily
        var directory: PresetDirectory?
        if let builtIn = PresetRegistry.builtIn.preset(named: preset), let known = ModelFamilies.family(backboneClassName: builtIn.className) {
            family = known
        } else {
            let resolved = try PresetResolver.resolve(preset, for: .backbone(loadWeights: false))
            family = try resolved.family()
            directory = resolved
        }
        var addStartToken = true
        if let directory, directory.has("preprocessor.json"),
           let flag = try KerasHubObject(contentsOf: directory.file("preprocessor.json")).config["add_start_token"]?.boolValue {
            addStartToken = flag
        }
        guard let preprocessor = try family.causalPreprocessor(tokenizer: tokenizer, addStartToken: addStartToken) else {
            throw PresetError.wrongClass(preset: preset, expected: "CausalLMPreprocessor", found: family.backboneClassName)
        }
        return preprocessor
    }
}
