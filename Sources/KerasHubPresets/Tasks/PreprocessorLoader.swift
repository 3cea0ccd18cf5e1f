import Foundation

/// Reads the preprocessing settings of a preset: KerasHub's `preprocessor.json`, or for a
/// transformers checkpoint `sentence_bert_config.json` / `tokenizer_config.json`.
enum PreprocessorLoader {
    /// A BERT-family text preprocessor for the preset's tokenizer.
    static func bertFamily(_ directory: PresetDirectory, backbone: Backbone) throws -> BertTextClassifierPreprocessor {
        let tokenizer = try TokenizerLoader.load(directory)
        guard let bertTokenizer = tokenizer as? any BertFamilyTokenizer else {
            throw PresetError.wrongClass(preset: directory.name, expected: "BertTokenizer", found: "\(type(of: tokenizer))")
        }
        var sequenceLength = maximumLength(of: backbone)
        var truncate = MultiSegmentPacker.Truncation.roundRobin
        if directory.has("preprocessor.json") {
            let object = try KerasHubObject(contentsOf: directory.file("preprocessor.json"))
            if let length = object.config["sequence_length"]?.intValue { sequenceLength = length }
            if let name = object.config["truncate"]?.stringValue {
                guard let parsed = MultiSegmentPacker.Truncation(rawValue: name) else {
                    throw PresetError.invalidFile(file: directory.file("preprocessor.json").path, reason: "unknown truncate '\(name)'")
                }
                truncate = parsed
            }
        } else if directory.has("sentence_bert_config.json"),
                  let length = try JSONFile.readObject(directory.file("sentence_bert_config.json"))["max_seq_length"]?.intValue {
            sequenceLength = length
        } else if directory.has("tokenizer_config.json"),
                  let length = try JSONFile.readObject(directory.file("tokenizer_config.json"))["model_max_length"]?.intValue {
            sequenceLength = length
        }
        return BertTextClassifierPreprocessor(
            tokenizer: bertTokenizer, sequenceLength: min(sequenceLength, maximumLength(of: backbone)), truncate: truncate)
    }

    /// The preprocessor, or `nil` when the preset has no tokenizer files at all (a weights-only checkpoint).
    static func bertFamilyIfAvailable(_ directory: PresetDirectory, backbone: Backbone) throws -> BertTextClassifierPreprocessor? {
        let tokenizerFiles = ["tokenizer.json", "vocab.txt", "vocab.json", "assets/tokenizer/vocabulary.txt"]
        guard tokenizerFiles.contains(where: directory.has) else { return nil }
        return try bertFamily(directory, backbone: backbone)
    }

    static func maximumLength(of backbone: Backbone) -> Int {
        switch backbone {
        case let bert as BertBackbone: bert.config.maxSequenceLength
        case let distilBert as DistilBertBackbone: distilBert.config.maxSequenceLength
        case let gpt2 as GPT2Backbone: gpt2.config.maxSequenceLength
        default: 512
        }
    }
}
