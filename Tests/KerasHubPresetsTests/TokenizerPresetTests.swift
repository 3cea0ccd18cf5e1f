import Foundation
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTokenizers
import Testing

@Suite struct TokenizerPresetTests {
    static let sentence = "The quick brown fox."

    @Test func builtInTokenizersLoadOfflineWithKerasHubsReferenceIds() throws {
        // The vocabularies of these presets ship with the package: no cache, no network.
        #expect(try Tokenizer.fromPreset("gpt2_base_en").tokenize(Self.sentence) == [464, 2068, 7586, 21831, 13])
        #expect(try Tokenizer.fromPreset("distil_bert_base_en_uncased").tokenize(Self.sentence) == [1996, 4248, 2829, 4419, 1012])
        let bert = try BertTokenizer.fromPreset("bert_tiny_en_uncased")
        #expect(bert.tokenize(Self.sentence) == [1996, 4248, 2829, 4419, 1012])
        #expect(bert.clsTokenId == 101 && bert.sepTokenId == 102)
        let gpt2 = try GPT2Tokenizer.fromPreset("gpt2_medium_en")
        #expect(gpt2.endOfTextTokenId == 50256)
        #expect(try Tokenizer.fromPreset("gpt2_base_en").base is GPT2Tokenizer)
    }

    @Test func concreteClassMismatchIsAnError() throws {
        #expect(throws: PresetError.wrongClass(preset: "gpt2_base_en", expected: "BertTokenizer", found: "GPT2Tokenizer")) {
            try BertTokenizer.fromPreset("gpt2_base_en")
        }
        // A model tokenizer also answers for its base class.
        #expect(try WordPieceTokenizer.fromPreset("bert_base_en_uncased").lowercase)
    }

    @Test func bundledPresetTokenizerFollowsTransformersAccentStripping() throws {
        let tokenizer = try BertTokenizer.fromPreset("all_minilm_l6_v2_en")
        // BertTokenizerFast(lowercase) strips accents: "café" and "cafe" tokenize alike.
        #expect(tokenizer.tokenize("Café") == tokenizer.tokenize("cafe"))
    }

    @Test func transformersDirectoryReadsTokenizerConfig() throws {
        let directory = try makeTemporaryDirectory("kh-tok")
        defer { try? FileManager.default.removeItem(at: directory) }
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "Hello", "world", "##s", "!"]
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("vocab.txt"))
        try Data(#"{"model_type": "bert", "vocab_size": 10, "hidden_size": 4, "num_hidden_layers": 1, "num_attention_heads": 1, "intermediate_size": 4}"#.utf8)
            .write(to: directory.appendingPathComponent("config.json"))
        try Data(#"{"do_lower_case": false}"#.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let cased = try Tokenizer.fromPreset(directory.path)
        #expect(cased.tokenize("Hello worlds!") == [6, 7, 8, 9])
        try Data(#"{"do_lower_case": true}"#.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        #expect(try Tokenizer.fromPreset(directory.path).tokenize("Hello worlds!") == [5, 7, 8, 9])
    }

    @Test(arguments: ["gpt2_base_en", "distil_bert_base_en_uncased", "all_minilm_l6_v2_en"])
    func saveToPresetRoundTrips(preset: String) throws {
        let original = try Tokenizer.fromPreset(preset)
        let directory = try makeTemporaryDirectory("kh-tok-save")
        defer { try? FileManager.default.removeItem(at: directory) }
        try original.saveToPreset(directory)
        // Tokenizer-only KerasHub preset: tokenizer.json and assets, no config.json.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path))
        let reloaded = try Tokenizer.fromPreset(directory.path)
        #expect(type(of: reloaded.base) == type(of: original.base))
        #expect(reloaded.vocabularySize == original.vocabularySize)
        for text in [Self.sentence, "Crème brûlée, naïve café — 東京 😀 <|endoftext|> [CLS]", "", "  spaces\t\ttabs\n"] {
            #expect(reloaded.tokenize(text) == original.tokenize(text), "\(text)")
        }
    }

    @Test func sentencePieceTokenizerRoundTripsThroughAPreset() throws {
        let model = Repository.root.appendingPathComponent("Tests/KerasHubTokenizersTests/Fixtures/botchan_en_unigram_1000.model")
        let original = try SentencePieceTokenizer(modelFile: model.path, addBos: true)
        let directory = try makeTemporaryDirectory("kh-spm")
        defer { try? FileManager.default.removeItem(at: directory) }
        try original.saveToPreset(directory)
        let reloaded = try SentencePieceTokenizer.fromPreset(directory.path)
        #expect(reloaded.addBos)
        #expect(reloaded.tokenize("I am a cat.") == original.tokenize("I am a cat."))
    }

    @Test func badTokenizerFilesAreTypedErrors() throws {
        let directory = try makeTemporaryDirectory("kh-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenizerFile = directory.appendingPathComponent("tokenizer.json")
        try Data(#"{"class_name": "FancyTokenizer", "config": {}}"#.utf8).write(to: tokenizerFile)
        #expect(throws: PresetError.unknownClass(file: tokenizerFile.path, name: "FancyTokenizer", known: TokenizerClasses.all.map(\.className))) {
            try Tokenizer.fromPreset(directory.path)
        }
        try Data(#"{"class_name": "BertTokenizer", "config": {"lowercase": true}, "assets": ["assets/tokenizer/vocabulary.txt"]}"#.utf8).write(to: tokenizerFile)
        #expect(throws: PresetError.missingFile(file: directory.appendingPathComponent("assets/tokenizer/vocabulary.txt").path)) {
            try Tokenizer.fromPreset(directory.path)
        }
        let assets = directory.appendingPathComponent("assets/tokenizer")
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nhello\n".utf8).write(to: assets.appendingPathComponent("vocabulary.txt"))
        do {
            _ = try Tokenizer.fromPreset(directory.path)
            Issue.record("a duplicate token must be an error")
        } catch let error as PresetError {
            #expect(error.description.contains("tokenizer.json"))
            #expect(error.description.contains("7"), "the duplicate's line number: \(error)")
        }
        try Data("[PAD]\n[UNK]\nhello\n".utf8).write(to: assets.appendingPathComponent("vocabulary.txt"))
        #expect(throws: PresetError.self) { try Tokenizer.fromPreset(directory.path) }
    }
}
