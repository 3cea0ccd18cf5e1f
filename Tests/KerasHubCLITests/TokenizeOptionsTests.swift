import Foundation
import Testing

/// `keras-hub tokenize --tokens / --special-tokens / --sequence-length`, pairs, and `keras-hub vocabulary`.
@Suite struct TokenizeOptionsTests {
    static let kerasHub = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubPresetsTests/Fixtures/kerashub")

    /// Packing through a KerasHub preset's preprocessor (`sequence_length` 64) gives KerasHub's own
    /// packed ids, from the goldens `Tools/make_kerashub_presets.py` wrote with KerasHub, then padding.
    @Test func sequenceLengthPacksAsKerasHub() throws {
        struct Golden: Decodable {
            let text: String
            let packed: [Int]
        }
        let preset = Self.kerasHub.appendingPathComponent("roberta_classifier")
        let goldens = try String(contentsOf: preset.appendingPathComponent("goldens.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(Golden.self, from: Data($0.utf8)) }
        let input = try goldens.map { String(decoding: try JSONEncoder().encode($0.text), as: UTF8.self) }.joined(separator: "\n") + "\n"
        let run = try CLIRunner.run(["tokenize", "--preset", preset.path, "--sequence-length", "64"], stdin: input)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.count == goldens.count)
        var wrong: [String] = []
        for (line, golden) in zip(run.lines, goldens) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let ids = try #require(object["token_ids"] as? [Int]), mask = try #require(object["padding_mask"] as? [Bool])
            #expect(ids.count == 64 && mask.count == 64)
            let real = mask.lastIndex(of: true).map { $0 + 1 } ?? 0
            if Array(ids.prefix(real)) != golden.packed || ids.dropFirst(real).contains(where: { $0 != 1 }) {
                wrong.append("\(golden.text.debugDescription): \(ids.prefix(real)) != \(golden.packed)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count): \(wrong.prefix(3).joined(separator: "\n"))")
    }

    @Test func piecesSpecialTokensAndPairs() throws {
        let pieces = try CLIRunner.run(["tokenize", "--preset", "all_minilm_l6_v2_en", "--tokens", "Hello, tokenizing!"])
        #expect(pieces.lines == [###"["hello",",","token","##izing","!"]"###], "\(pieces.stderr)")
        let special = try CLIRunner.run(["tokenize", "--preset", "all_minilm_l6_v2_en", "--special-tokens", "Hello!"])
        #expect(special.lines == ["[101,7592,999,102]"])
        let pair = try CLIRunner.run(
            ["tokenize", "--preset", "all_minilm_l6_v2_en", "--sequence-length", "8"], stdin: "[\"a b\", \"c\"]\n{\"text\": \"a\", \"text_pair\": \"b\"}\n")
        #expect(pair.lines == [
            #"{"padding_mask":[true,true,true,true,true,true,false,false],"segment_ids":[0,0,0,0,1,1,0,0],"token_ids":[101,1037,1038,102,1039,102,0,0]}"#,
            #"{"padding_mask":[true,true,true,true,true,false,false,false],"segment_ids":[0,0,0,1,1,0,0,0],"token_ids":[101,1037,102,1038,102,0,0,0]}"#,
        ], "\(pair.stderr)")
        let gpt2 = try CLIRunner.run(["tokenize", "--preset", "gpt2_base_en", "--special-tokens", "--tokens", "Hi there"])
        #expect(gpt2.lines == [#"["<|endoftext|>","Hi","Ġthere"]"#])
        let padded = try CLIRunner.run(["tokenize", "--preset", "gpt2_base_en", "--sequence-length", "5", "Hi there"])
        #expect(padded.lines == [#"{"padding_mask":[true,true,true,false,false],"token_ids":[50256,17250,612,50256,50256]}"#])
        // Bad input: a pair without packing, a malformed pair, a bad length.
        #expect(try CLIRunner.run(["tokenize", "--preset", "all_minilm_l6_v2_en"], stdin: "[\"a\", \"b\"]\n").status == 1)
        let malformed = try CLIRunner.run(["tokenize", "--preset", "all_minilm_l6_v2_en", "--special-tokens"], stdin: "\"ok\"\n[\"a\", 3]\n")
        #expect(malformed.status == 1 && malformed.stderr.contains("<stdin>:2"), "\(malformed.stderr)")
        #expect(try CLIRunner.run(["tokenize", "--preset", "all_minilm_l6_v2_en", "--sequence-length", "0", "x"]).status == 2)
        #expect(try CLIRunner.run(["tokenize", "--preset", "all_minilm_l6_v2_en", "--tokens", "--sequence-length", "4", "x"]).status == 2)
    }

    @Test func vocabularyLookups() throws {
        #expect(try CLIRunner.run(["vocabulary", "--preset", "all_minilm_l6_v2_en"]).lines == [#"{"vocabulary_size":30522}"#])
        #expect(try CLIRunner.run(["vocabulary", "--preset", "all_minilm_l6_v2_en", "--id", "101"]).lines == [#"{"id":101,"token":"[CLS]"}"#])
        #expect(try CLIRunner.run(["vocabulary", "--preset", "gpt2_base_en", "--token", "Ġthere"]).lines == [#"{"id":612,"token":"Ġthere"}"#])
        let badId = try CLIRunner.run(["vocabulary", "--preset", "all_minilm_l6_v2_en", "--id", "30522"])
        #expect(badId.status == 1 && badId.stderr.contains("30522"))
        let negative = try CLIRunner.run(["vocabulary", "--preset", "all_minilm_l6_v2_en", "--id=-1"])
        #expect(negative.status == 1)
        let unknown = try CLIRunner.run(["vocabulary", "--preset", "all_minilm_l6_v2_en", "--token", "zzqqzz"])
        #expect(unknown.status == 1 && unknown.stderr.contains("zzqqzz"))
        #expect(try CLIRunner.run(["vocabulary", "--preset", "all_minilm_l6_v2_en", "--id", "1", "--token", "a"]).status == 2)
    }
}
