import Foundation
import KerasHubModels
import KerasHubTokenizers
import Testing
@testable import KerasHubPresets

/// Presets written by real KerasHub's `save_to_preset` (`Tools/make_kerashub_presets.py`):
/// configs, tokenizers and preprocessors read as KerasHub wrote them, tokenizing and packing as
/// KerasHub does (the weights are checked in ``KerasHubWeightsTests``).
@Suite struct KerasHubWrittenPresetTests {
    struct Golden: Decodable {
        let text: String
        let ids: [Int32]
        let packed: [Int32]
    }

    static func directory(_ name: String) -> URL {
        Repository.root.appendingPathComponent("Tests/KerasHubPresetsTests/Fixtures/kerashub").appendingPathComponent(name)
    }

    static func goldens(_ name: String) throws -> [Golden] {
        try String(contentsOf: directory(name).appendingPathComponent("goldens.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Golden.self, from: Data($0.utf8)) }
    }

    @Test(arguments: [("roberta_classifier", 3), ("xlm_roberta_classifier", 2)])
    func readsWhatKerasHubWrote(name: String, classes: Int) throws {
        let path = Self.directory(name).path
        let config = try KerasHubObject(contentsOf: Self.directory(name).appendingPathComponent("config.json"))
        let backbone = try Backbone.fromPreset(path, loadWeights: false)
        #expect("\(type(of: backbone))" == config.className)
        #expect(backbone.vocabularySize == config.config["vocabulary_size"]?.intValue)
        #expect(backbone.hiddenDim == config.config["hidden_dim"]?.intValue)
        #expect(backbone.maxSequenceLength == config.config["max_sequence_length"]?.intValue)

        let classifier = try TextClassifier.fromPreset(path, loadWeights: false)
        let task = try KerasHubObject(contentsOf: Self.directory(name).appendingPathComponent("task.json"))
        #expect("\(type(of: classifier))" == task.className)
        #expect(classifier.numClasses == classes)

        let tokenizer = try Tokenizer.fromPreset(path)
        let preprocessor = try TextClassifierPreprocessor.fromPreset(path)
        let goldens = try Self.goldens(name)
        #expect(goldens.count > 100)
        var mismatches: [String] = []
        for golden in goldens {
            var lineMismatches: [String] = []
            let ids = tokenizer.tokenize(golden.text)
            if ids != golden.ids { lineMismatches.append("\(golden.text.debugDescription): \(ids) != \(golden.ids)") }
            let packed = try preprocessor([golden.text]).tokenIds
            if packed != golden.packed { lineMismatches.append("packed \(golden.text.debugDescription): \(packed) != \(golden.packed)") }
            mismatches += lineMismatches
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(4).joined(separator: "\n"))")
        // Among them "s\u{307}\u{323}", which sentencepiece segments as "ṡ" + U+0323: pieces match byte
        // for byte, not by canonical equivalence as Swift's `String` compares.
        #expect(goldens.contains { Self.hasStackedCombiningMarks($0.text) })
    }

    /// Whether `text` has a letter followed by two or more combining marks.
    static func hasStackedCombiningMarks(_ text: String) -> Bool {
        text.contains { character in
            character.unicodeScalars.dropFirst().filter { $0.properties.generalCategory == .nonspacingMark }.count >= 2
        }
    }

    /// A KerasHub WordPiece tokenizer detokenizes as KerasHub's does, joining pieces with spaces and no
    /// clean-up (KerasHub 0.32 on this preset: `'the quick , brown fox !'`).
    @Test func kerasHubWordPieceDetokenizesAsKerasHub() throws {
        let tokenizer = try Tokenizer.fromPreset(Self.directory("bert_classifier").path)
        #expect(tokenizer.tokenize("the quick, brown fox!") == [24, 38, 35, 168, 58, 76, 110, 59])
        #expect(tokenizer.detokenize([24, 38, 35, 168, 58, 76, 110, 59]) == "the quick , brown fox !")
    }
}
