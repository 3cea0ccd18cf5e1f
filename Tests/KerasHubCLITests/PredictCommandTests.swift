import Foundation
import Testing

/// `keras-hub predict` on presets written by real KerasHub 0.32 (`Tools/make_kerashub_presets.py`),
/// against KerasHub's own outputs on them.
@Suite struct PredictCommandTests {
    static func preset(_ name: String) -> String {
        CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubPresetsTests/Fixtures/kerashub").appendingPathComponent(name).path
    }

    static func outputs(_ name: String) throws -> [String: Any] {
        let url = URL(fileURLWithPath: preset(name)).appendingPathComponent("outputs.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// Classifier logits (and their softmax) are KerasHub's, at 1e-4, one object per input line in order.
    @Test(arguments: ["bert_classifier", "roberta_classifier", "xlm_roberta_classifier"])
    func classifierLogitsAreKerasHubs(name: String) throws {
        let expected = try Self.outputs(name)
        let texts = try #require(expected["texts"] as? [String])
        let logits = try #require(expected["logits"] as? [[Double]])
        let input = texts.map { text in
            String(decoding: try! JSONSerialization.data(withJSONObject: ["text": text], options: [.fragmentsAllowed]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
        let run = try CLIRunner.run(["predict", "--preset", Self.preset(name), "--probabilities", "--batch-size", "2"], stdin: input)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try Self.objects(run.stdout)
        #expect(lines.count == texts.count)
        for (line, reference) in zip(lines, logits) {
            let ours = try #require(line["logits"] as? [Double])
            #expect(ours.count == reference.count)
            #expect(zip(ours, reference).allSatisfy { abs($0 - $1) <= 1e-4 }, "\(ours) vs \(reference)")
            let probabilities = try #require(line["probabilities"] as? [Double])
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(probabilities.indices.max { probabilities[$0] < probabilities[$1] } == ours.indices.max { ours[$0] < ours[$1] })
        }
    }

    /// A masked LM's top tokens per mask are KerasHub's, with its probabilities.
    @Test func maskedLMTopTokensAreKerasHubs() throws {
        let fills = try #require(try Self.outputs("bert_masked_lm")["fills"] as? [[String: Any]])
        for fill in fills {
            let text = try #require(fill["text"] as? String)
            let expected = try #require(fill["predictions"] as? [[[String: Any]]])
            let run = try CLIRunner.run(["predict", "--preset", Self.preset("bert_masked_lm"), "--top-k", "5", text])
            #expect(run.status == 0, "\(run.stderr)")
            let predictions = try #require(try Self.objects(run.stdout).first?["predictions"] as? [[[String: Any]]])
            #expect(predictions.count == expected.count)
            for (ours, theirs) in zip(predictions, expected) {
                #expect(ours.compactMap { $0["id"] as? Int } == theirs.compactMap { $0["id"] as? Int }, "\(text)")
                #expect(ours.compactMap { $0["token"] as? String } == theirs.compactMap { $0["token"] as? String })
                for (a, b) in zip(ours.compactMap { $0["probability"] as? Double }, theirs.compactMap { $0["probability"] as? Double }) {
                    #expect(abs(a - b) <= 1e-5)
                }
            }
        }
    }

    /// Bad lines fail naming the line, or with --on-error record become error objects in place.
    @Test func badLinesFailOrAreRecorded() throws {
        let input = "{\"text\": \"a b\", \"id\": \"x\"}\n{\"nope\": 1}\nnot json\n\"c\"\n"
        let failing = try CLIRunner.run(["predict", "--preset", Self.preset("bert_classifier")], stdin: input)
        #expect(failing.status == 1)
        #expect(failing.stderr.contains("<stdin>:2"), "\(failing.stderr)")
        let recorded = try CLIRunner.run(
            ["predict", "--preset", Self.preset("bert_classifier"), "--on-error", "record", "--id-field", "id"], stdin: input)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let lines = try Self.objects(recorded.stdout)
        #expect(lines.count == 4)
        #expect(lines[0]["id"] as? String == "x" && lines[0]["logits"] != nil)
        #expect(lines[1]["line"] as? Int == 2 && lines[1]["error"] != nil)
        #expect(lines[2]["line"] as? Int == 3 && (lines[2]["error"] as? String)?.contains("not valid JSON") == true)
        #expect(lines[3]["logits"] != nil)
    }

    /// A task the preset has no head for, a causal LM, and bad flags.
    @Test func refusesWhatItCannotPredict() throws {
        let random = try CLIRunner.run(["predict", "--preset", Self.preset("bert_classifier"), "--task", "MaskedLM", "hi"])
        #expect(random.status == 1)
        #expect(random.stderr.contains("no trained BertMaskedLM head"), "\(random.stderr)")
        let causal = try CLIRunner.run(["predict", "--preset", Self.preset("gpt2_causal_lm"), "hi"])
        #expect(causal.status == 1 && causal.stderr.contains("keras-hub generate"), "\(causal.stderr)")
        let noMask = try CLIRunner.run(["predict", "--preset", Self.preset("bert_masked_lm"), "no mask here"])
        #expect(noMask.status == 1 && noMask.stderr.contains("argument 1"), "\(noMask.stderr)")
        #expect(try CLIRunner.run(["predict", "--preset", Self.preset("bert_classifier"), "--top-k", "0", "x"]).status == 2)
        #expect(try CLIRunner.run(["predict", "--preset", Self.preset("bert_classifier"), "--batch-size", "100000", "x"]).status == 2)
        #expect(try CLIRunner.run(["predict", "--preset", Self.preset("bert_classifier"), "--task", "Nope", "x"]).status == 2)
        #expect(try CLIRunner.run(["predict"]).status == 2)
    }
}
