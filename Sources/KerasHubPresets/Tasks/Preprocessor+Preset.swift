import Foundation

extension BertTextClassifierPreprocessor {
    /// The text preprocessor of a BERT or DistilBERT preset: its tokenizer, with the sequence
    /// length and truncation of `preprocessor.json` (or sentence-transformers' `max_seq_length`,
    /// or the tokenizer's `model_max_length`), capped at the backbone's position table.
    public static func fromPreset(_ preset: String) throws -> BertTextClassifierPreprocessor {
        if let builtIn = PresetRegistry.builtIn.preset(named: preset), builtIn.bundled == nil,
           let tokenizer = try TokenizerLoader.loadBundled(builtIn) as? any BertFamilyTokenizer {
            return BertTextClassifierPreprocessor(tokenizer: tokenizer, sequenceLength: 512)
        }
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: false))
        return try PreprocessorLoader.bertFamily(directory, backbone: directory.loadBackbone(loadWeights: false))
    }
}

extension GPT2CausalLMPreprocessor {
    /// The prompt preprocessor of a GPT-2 preset (its tokenizer; `add_start_token` from `preprocessor.json`).
    public static func fromPreset(_ preset: String) throws -> GPT2CausalLMPreprocessor {
        let tokenizer = try GPT2Tokenizer.fromPreset(preset)
        var addStartToken = true
        if PresetRegistry.builtIn.preset(named: preset) == nil,
           let directory = try? PresetResolver.resolve(preset, for: .tokenizer), directory.has("preprocessor.json"),
           let flag = try KerasHubObject(contentsOf: directory.file("preprocessor.json")).config["add_start_token"]?.boolValue {
            addStartToken = flag
        }
        return GPT2CausalLMPreprocessor(tokenizer: tokenizer, addStartToken: addStartToken)
    }
}
