import Foundation
import KerasHubModels
import KerasHubTokenizers
import Testing
@testable import KerasHubPresets

/// A tokenizer from a transformers checkpoint behaves as transformers' does, against goldens written
/// by `Tools/make_tokenizer_goldens.py` with transformers' fast tokenizers on the hostile corpus:
/// special tokens inside text are matched (`[CLS] hello [SEP]`), and `add_prefix_space` in
/// `tokenizer_config.json` is honoured.
@Suite struct TransformersTokenizerFidelityTests {
    struct Golden: Decodable {
        let ids: [Int32]
    }

    static let fixtures = Repository.root.appendingPathComponent("Tests/KerasHubTokenizersTests/Fixtures")

    static func corpus() throws -> [String] {
        struct Line: Decodable { let text: String }
        return try String(contentsOf: fixtures.appendingPathComponent("corpus.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)).text }
    }

    static func goldens(_ name: String) throws -> [Golden] {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Golden.self, from: Data($0.utf8)) }
    }

    /// A checkpoint directory with `files` (fixture name → checkpoint name) and a `config.json`.
    static func checkpoint(modelType: String, files: [String: String], tokenizerConfig: String) throws -> URL {
        let directory = try makeTemporaryDirectory("kh-tokenizer-\(modelType)")
        for (fixture, name) in files {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(fixture), to: directory.appendingPathComponent(name))
        }
        try Data(#"{"model_type": "\#(modelType)"}"#.utf8).write(to: directory.appendingPathComponent("config.json"))
        try Data(tokenizerConfig.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        return directory
    }

    static func mismatches(_ tokenizer: any TokenizerProtocol, goldens file: String) throws -> [String] {
        let corpus = try corpus(), expected = try goldens(file)
        #expect(corpus.count == expected.count)
        return zip(corpus, expected).enumerated().compactMap { index, pair in
            let ids = tokenizer.tokenize(pair.0)
            return ids == pair.1.ids ? nil : "line \(index + 1) \(String(reflecting: pair.0)): \(ids) != \(pair.1.ids)"
        }
    }

    @Test func bertMatchesSpecialTokensInText() throws {
        let directory = try Self.checkpoint(
            modelType: "bert", files: ["bert_base_uncased_vocab.txt": "vocab.txt"], tokenizerConfig: #"{"do_lower_case": true}"#)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenizer = try Tokenizer.fromPreset(directory.path)
        #expect(tokenizer.tokenize("[CLS] hello [SEP]") == [101, 7592, 102])
        #expect(tokenizer.tokenize("a[MASK]b [UNK]") == [1037, 103, 1038, 100])
        let wrong = try Self.mismatches(tokenizer, goldens: "goldens_wordpiece.jsonl")
        #expect(wrong.isEmpty, "\(wrong.count): \(wrong.prefix(3).joined(separator: "\n"))")
    }

    @Test(arguments: [(#"{"add_prefix_space": true}"#, "goldens_bpe_prefix_space.jsonl"), ("{}", "goldens_bpe.jsonl")])
    func gpt2HonoursAddPrefixSpace(config: String, goldens: String) throws {
        let directory = try Self.checkpoint(
            modelType: "gpt2", files: ["gpt2_vocab.json": "vocab.json", "gpt2_merges.txt": "merges.txt"], tokenizerConfig: config)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenizer = try Tokenizer.fromPreset(directory.path)
        let wrong = try Self.mismatches(tokenizer, goldens: goldens)
        #expect(wrong.isEmpty, "\(wrong.count): \(wrong.prefix(3).joined(separator: "\n"))")
        // Saved in KerasHub's layout, the option travels in tokenizer.json, and the tokenizer then
        // reads text as KerasHub does (no GPT-2 pre-split; `KerasHubBytePairParityTests` holds that
        // to KerasHub's own ids): the same ids as a KerasHub-style tokenizer with the option.
        let saved = try makeTemporaryDirectory("kh-tokenizer-saved")
        defer { try? FileManager.default.removeItem(at: saved) }
        try tokenizer.saveToPreset(saved)
        let reloaded = try #require(Tokenizer.fromPreset(saved.path).base as? GPT2Tokenizer)
        let original = try #require(tokenizer.base as? GPT2Tokenizer)
        #expect(reloaded.bytePair.addPrefixSpace == original.bytePair.addPrefixSpace)
        #expect(original.bytePair.splitPattern == .gpt2 && reloaded.bytePair.splitPattern == .wholeText)
        let kerasHubStyle = try GPT2Tokenizer(
            vocabularyFile: saved.appendingPathComponent("assets/tokenizer/vocabulary.json").path,
            mergesFile: saved.appendingPathComponent("assets/tokenizer/merges.txt").path,
            addPrefixSpace: original.bytePair.addPrefixSpace, splitPattern: .wholeText)
        let corpus = try Self.corpus()
        #expect(reloaded.tokenize(corpus) == kerasHubStyle.tokenize(corpus))
    }
}
