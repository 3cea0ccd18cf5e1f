import Foundation
import KerasHubLayers
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTensor
import KerasHubTokenizers
import Testing

/// Broken preset files get errors that name the file and what is wrong.
@Suite struct PresetInputValidationTests {
    static let bertConfig = #"{"vocabulary_size": 10, "num_layers": 1, "num_heads": 2, "hidden_dim": 4, "intermediate_dim": 6, "max_sequence_length": 8}"#

    func writeConfig(_ config: String, className: String = "BertBackbone", to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("config.json")
        try Data(#"{"module": "m", "class_name": "\#(className)", "config": \#(config)}"#.utf8).write(to: url)
        return url
    }

    @Test func negativeSizesInAKerasHubConfig() throws {
        let directory = try makeTemporaryDirectory("kh-neg")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try writeConfig(Self.bertConfig.replacingOccurrences(of: "\"vocabulary_size\": 10", with: "\"vocabulary_size\": -5"), to: directory)
        #expect(throws: ConfigError.invalid(file: config.path, reason: "'vocabulary_size' is negative (-5)")) {
            try Backbone.fromPreset(directory.path, loadWeights: false)
        }
        _ = try writeConfig(Self.bertConfig.replacingOccurrences(of: "\"max_sequence_length\": 8", with: "\"max_sequence_length\": -1"),
                            className: "GPT2Backbone", to: directory)
        #expect(throws: ConfigError.invalid(file: config.path, reason: "'max_sequence_length' is negative (-1)")) {
            try Backbone.fromPreset(directory.path, loadWeights: false)
        }
    }

    @Test func negativeSizesInATransformersConfig() throws {
        let directory = try makeTemporaryDirectory("kh-neg-tf")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json")
        try Data(#"{"model_type": "bert", "vocab_size": 10, "hidden_size": 4, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 6, "max_position_embeddings": -3}"#.utf8)
            .write(to: config)
        #expect(throws: ConfigError.invalid(file: config.path, reason: "'max_sequence_length' is negative (-3)")) {
            try Backbone.fromPreset(directory.path, loadWeights: false)
        }
        try Data(#"{"model_type": "gpt2", "vocab_size": 10, "n_embd": 4, "n_layer": 1, "n_head": 2, "n_inner": -7}"#.utf8).write(to: config)
        #expect(throws: ConfigError.invalid(file: config.path, reason: "'intermediate_dim' is negative (-7)")) {
            try Backbone.fromPreset(directory.path, loadWeights: false)
        }
    }

    @Test func emptyAndNonObjectConfigs() throws {
        let directory = try makeTemporaryDirectory("kh-empty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json")
        try Data().write(to: config)
        #expect(throws: PresetError.invalidFile(file: config.path, reason: "empty file")) { try Backbone.fromPreset(directory.path) }
        try Data("[1, 2]".utf8).write(to: config)
        #expect(throws: PresetError.invalidFile(file: config.path, reason: "expected a JSON object")) { try Backbone.fromPreset(directory.path) }
        try Data(#"{"class_name": "BertBackbone", "config": {"vocabulary_size": "ten"}}"#.utf8).write(to: config)
        do {
            _ = try Backbone.fromPreset(directory.path, loadWeights: false)
            Issue.record("a string size must be an error")
        } catch let error as PresetError {
            #expect(error.description.contains(config.path) && error.description.contains("vocabulary_size"), "\(error)")
        }
    }

    @Test func nanWeightInAPresetNamesTensorAndFile() throws {
        let directory = try makeTemporaryDirectory("kh-nan-preset")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backbone = try BertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)
        try backbone.saveToPreset(directory, options: PresetSaveOptions(format: .safetensors))
        var weights = backbone.namedWeights
        var tensor = try #require(weights["embeddings_layer_norm.gamma"])
        tensor.withUnsafeMutableBufferPointer { $0[3] = .nan }
        weights["embeddings_layer_norm.gamma"] = tensor
        let file = directory.appendingPathComponent("model.safetensors")
        try SafetensorsWriter.write(weights, to: file)
        do {
            _ = try Backbone.fromPreset(directory.path)
            Issue.record("a NaN weight must be an error")
        } catch WeightError.nonFiniteValue(let name, let origin, let index, let value) {
            #expect(name == "embeddings_layer_norm.gamma")
            #expect(origin == file.path)
            #expect(index == 3 && value.isNaN)
        }
    }

    /// The same in KerasHub's `model.weights.h5`: the error names the Keras path, ours, and the file.
    @Test func nanWeightInAKerasWeightsFileNamesDatasetAndFile() throws {
        let directory = try makeTemporaryDirectory("kh-nan-h5")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backbone = try BertBackbone(vocabularySize: 10, numLayers: 1, numHeads: 2, hiddenDim: 4, intermediateDim: 6, maxSequenceLength: 8)
        try backbone.saveToPreset(directory)
        let file = directory.appendingPathComponent("model.weights.h5")
        let stored = try KerasWeightsFile(contentsOf: file)
        var entries = try stored.tensorNames.map { KerasWeightsEntry(path: $0, tensor: try stored.tensor(named: $0)) }
        let index = try #require(entries.firstIndex { $0.path == "layers/layer_normalization/vars/0" })
        entries[index].tensor.withUnsafeMutableBufferPointer { $0[3] = .nan }
        try KerasWeightsWriter.write(entries, to: file)
        do {
            _ = try Backbone.fromPreset(directory.path)
            Issue.record("a NaN weight must be an error")
        } catch WeightError.nonFiniteValue(let name, let origin, let index, let value) {
            #expect(name == "layers/layer_normalization/vars/0 -> embeddings_layer_norm.gamma")
            #expect(origin == file.path)
            #expect(index == 3 && value.isNaN)
        }
    }

    @Test func brokenTokenizerJSONIsReportedAsSuch() throws {
        let directory = try makeTemporaryDirectory("kh-tokjson")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tokenizer.json")
        try Data("{not json".utf8).write(to: file)
        do {
            _ = try Tokenizer.fromPreset(directory.path)
            Issue.record("a broken tokenizer.json must be an error")
        } catch PresetError.invalidFile(let path, let reason) {
            #expect(path == file.path)
            #expect(reason.hasPrefix("not valid JSON"), "\(reason)")
        }
    }

    @Test(arguments: [("-1", "-1.0"), ("0", "0.0"), ("99999999999999", "99999999999999.0"), ("16777217", "16777217.0"), ("1.5", "1.5"), ("\"8\"", "\"8\""), ("true", "true"), ("[8]", "an array or object")])
    func badSequenceLengthInTokenizerJSON(value: String, shown: String) throws {
        let directory = try makeTemporaryDirectory("kh-seqlen")
        defer { try? FileManager.default.removeItem(at: directory) }
        let assets = directory.appendingPathComponent("assets/tokenizer")
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n".utf8).write(to: assets.appendingPathComponent("vocabulary.txt"))
        let file = directory.appendingPathComponent("tokenizer.json")
        try Data(#"{"class_name": "BertTokenizer", "config": {"sequence_length": \#(value)}}"#.utf8).write(to: file)
        #expect(throws: PresetError.invalidFile(file: file.path, reason: "'sequence_length' must be null or a positive integer up to 16777216, found \(shown)")) {
            try Tokenizer.fromPreset(directory.path)
        }
        try Data(#"{"class_name": "BertTokenizer", "config": {"sequence_length": 4}}"#.utf8).write(to: file)
        #expect(try Tokenizer.fromPreset(directory.path).tokenize(["hello"]) == [[5, 0, 0, 0]])
    }
}
