import Foundation
import KerasHubModels
import Testing
@testable import KerasHubPresets

/// A config's sizes are checked before anything is computed or allocated from them: GPT-2 configs
/// that used to end in SIGILL (`4 * n_embd` overflowing), SIGABRT (a 10^12-token vocabulary) or
/// unbounded memory growth (10^6 layers) are a ``ConfigError`` naming the file and the size.
@Suite struct ConfigBoundsTests {
    static func gpt2Config(_ fields: String) throws -> URL {
        let directory = try makeTemporaryDirectory("kh-config-bounds")
        try Data(#"{"model_type": "gpt2", "n_head": 2, "n_positions": 16, "#.utf8 + Data(fields.utf8) + Data("}".utf8))
            .write(to: directory.appendingPathComponent("config.json"))
        return directory
    }

    static let hostile: [(fields: String, message: String)] = [
        (#""n_embd": 4611686018427387904, "n_inner": null, "n_layer": 2, "vocab_size": 10"#, "'n_embd'"),
        (#""n_embd": 8, "n_layer": 1000000, "vocab_size": 10"#, "'num_layers' is 1000000, above the limit"),
        (#""n_embd": 8, "n_layer": 1, "vocab_size": 1000000000000"#, "'vocabulary_size' is 1000000000000, above the limit"),
        (#""n_embd": 1073741824, "n_layer": 1, "vocab_size": 1099511627776"#, "above the limit"),
        (#""n_embd": 262144, "n_layer": 4096, "vocab_size": 10"#, "GiB; this machine has"),
        // Numbers that are not integers name their key (Foundation said "not valid JSON").
        (#""n_embd": 48.5, "n_layer": 1, "vocab_size": 10"#, "at 'n_embd': expected an integer, found 48.5"),
        (#""n_embd": 8, "n_layer": 1e300, "vocab_size": 10"#, "at 'n_layer': expected an integer within"),
        (#""n_embd": 8, "n_layer": 1, "vocab_size": "ten""#, "at 'vocab_size': expected an integer, found a string"),
    ]

    @Test func hostileSizesAreConfigErrors() throws {
        for (fields, message) in Self.hostile {
            let directory = try Self.gpt2Config(fields)
            defer { try? FileManager.default.removeItem(at: directory) }
            do {
                _ = try Backbone.fromPreset(directory.path, loadWeights: false)
                Issue.record("\(fields) was accepted")
            } catch let error as ConfigError {
                let text = "\(error)"
                #expect(text.contains(directory.appendingPathComponent("config.json").path), "\(text)")
                #expect(text.contains(message), "\(fields): \(text)")
            }
        }
    }

    /// A 2 GB `config.json` (sparse here) is refused from its size, before any of it is read (it
    /// used to be read whole: 2.2 GB of memory).
    @Test func anOversizedConfigIsRefusedUnread() throws {
        let directory = try makeTemporaryDirectory("kh-config-bounds")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json")
        #expect(FileManager.default.createFile(atPath: config.path, contents: Data("{".utf8)))
        let handle = try FileHandle(forWritingTo: config)
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        do {
            _ = try Backbone.fromPreset(directory.path, loadWeights: false)
            Issue.record("a 2 GB config was read")
        } catch {
            #expect("\(error)".contains("2147483648 bytes, more than the 128 MiB a JSON file may have"), "\(error)")
        }
    }

    /// Found by the `config_fields` fuzz target: an XLM-R config with a negative `type_vocab_size`
    /// (which transformers cannot build) was accepted because only values over 1 were refused.
    @Test func aNegativeTokenTypeCountIsRefused() throws {
        let directory = try makeTemporaryDirectory("kh-config-bounds")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"{"model_type": "xlm-roberta", "vocab_size": 64, "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 64, "type_vocab_size": -27936}"#.utf8)
            .write(to: directory.appendingPathComponent("config.json"))
        #expect(throws: ConfigError.self) { try Backbone.fromPreset(directory.path, loadWeights: false) }
        do { _ = try Backbone.fromPreset(directory.path, loadWeights: false) } catch {
            #expect("\(error)".contains("'type_vocab_size' must be 1 (found -27936)"), "\(error)")
        }
    }

    /// The largest published shapes stay well inside the bounds: GPT-2 XL, and XLM-R large's vocabulary.
    @Test func publishedSizesPass() throws {
        let gpt2XL = GPT2BackboneConfig(
            vocabularySize: 50257, numLayers: 48, numHeads: 25, hiddenDim: 1600, intermediateDim: 6400, maxSequenceLength: 1024)
        #expect(throws: Never.self) { try gpt2XL.validate() }
        let wideVocabulary = GPT2BackboneConfig(
            vocabularySize: 250_002, numLayers: 24, numHeads: 16, hiddenDim: 1024, intermediateDim: 4096, maxSequenceLength: 514)
        #expect(throws: Never.self) { try wideVocabulary.validate() }
    }
}
