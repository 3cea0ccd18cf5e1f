import Foundation
import KerasHubModels
import KerasHubTokenizers

/// Reads the preprocessing settings of a preset: KerasHub's `preprocessor.json`, or for a
/// transformers checkpoint `sentence_bert_config.json` / `tokenizer_config.json`, and builds the
/// family's preprocessors over the preset's tokenizer.
enum PreprocessorLoader {
    /// Files whose presence means the preset has a tokenizer.
    static let tokenizerFiles = [
        "tokenizer.json", "vocab.txt", "vocab.json", "assets/tokenizer/vocabulary.txt", "assets/tokenizer/vocabulary.json",
        "assets/tokenizer/vocabulary.spm",
    ]

    /// Whether the preset has tokenizer files at all (a weights-only checkpoint has none).
    static func hasTokenizer(_ directory: PresetDirectory) -> Bool { tokenizerFiles.contains(where: directory.has) }

    /// The sequence length and truncation the preset asks for, capped at the backbone's positions.
    static func textSettings(_ directory: PresetDirectory, maximum: Int) throws -> (Int, MultiSegmentPacker.Truncation) {
        var sequenceLength = maximum
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
                  let length = try directory.jsonObject("sentence_bert_config.json")["max_seq_length"]?.intValue {
            sequenceLength = length
        } else if directory.has("tokenizer_config.json"),
                  let length = try directory.jsonObject("tokenizer_config.json")["model_max_length"]?.intValue {
            sequenceLength = length
        }
        return (max(1, min(sequenceLength, maximum)), truncate)
    }

    /// The preset's own tokenizer, or `nil` when it has no tokenizer files (a weights-only checkpoint).
    static func tokenizer(_ directory: PresetDirectory) throws -> (any TokenizerProtocol)? {
        hasTokenizer(directory) ? try TokenizerLoader.load(directory) : nil
    }

    /// The family's text preprocessor over `tokenizer`, with the preset's sequence length and
    /// truncation, or `nil` for a family without one.
    static func text(_ directory: PresetDirectory, family: any ModelFamily, tokenizer: any TokenizerProtocol, maximum: Int) throws
        -> TextClassifierPreprocessor? {
        let (length, truncate) = try textSettings(directory, maximum: maximum)
        return try family.textPreprocessor(tokenizer: tokenizer, sequenceLength: length, truncate: truncate)
    }

    /// The family's prompt preprocessor over `tokenizer` (`add_start_token` from `preprocessor.json`),
    /// or `nil` for a family without one.
    static func causal(_ directory: PresetDirectory, family: any ModelFamily, tokenizer: any TokenizerProtocol) throws
        -> CausalLMPreprocessor? {
        var addStartToken = true
        if directory.has("preprocessor.json"),
           let flag = try KerasHubObject(contentsOf: directory.file("preprocessor.json")).config["add_start_token"]?.boolValue {
            addStartToken = flag
        }
        return try family.causalPreprocessor(tokenizer: tokenizer, addStartToken: addStartToken)
    }
}
