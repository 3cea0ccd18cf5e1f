import Foundation
import Testing
import KerasHub

@Suite struct TokenizeCommandTests {
    @Test func tokenizeArgumentsAndLinesThenDetokenize() throws {
        let fromArguments = try CLIRunner.run(["tokenize", "--preset", "gpt2_base_en", "The quick brown fox.", "Hi"])
        #expect(fromArguments.status == 0, "\(fromArguments.stderr)")
        #expect(fromArguments.lines == ["[464,2068,7586,21831,13]", "[17250]"])
        let fromLines = try CLIRunner.run(
            ["tokenize", "--preset", "distil_bert_base_en_uncased"],
            stdin: "\"The quick brown fox.\"\n{\"text\": \"The quick brown fox.\"}\n")
        #expect(fromLines.lines == ["[1996,4248,2829,4419,1012]", "[1996,4248,2829,4419,1012]"])
        let back = try CLIRunner.run(["detokenize", "--preset", "gpt2_base_en"], stdin: "[464,2068,7586,21831,13]\n[]\n")
        #expect(back.status == 0)
        #expect(back.lines == ["\"The quick brown fox.\"", "\"\""])
    }

    @Test func badLinesExitOneNamingTheLine() throws {
        let notText = try CLIRunner.run(["tokenize", "--preset", "gpt2_base_en"], stdin: "\"ok\"\n42\n")
        #expect(notText.status == 1 && notText.stderr.contains("<stdin>:2:"))
        let outOfRange = try CLIRunner.run(["detokenize", "--preset", "gpt2_base_en"], stdin: "[1, 2]\n[50257]\n")
        #expect(outOfRange.status == 1 && outOfRange.stderr.contains("<stdin>:2:") && outOfRange.stderr.contains("50257"))
        #expect(try CLIRunner.run(["tokenize"]).status == 2)
    }

    @Test func presetsListsEveryBuiltInPreset() throws {
        let result = try CLIRunner.run(["presets"])
        #expect(result.status == 0)
        #expect(result.lines.count == PresetRegistry.builtIn.presets.count)
        #expect(result.stdout.contains("\"name\":\"xlm_roberta_base_multi\""))
        #expect(result.stdout.contains("\"name\":\"all_minilm_l6_v2_en\""))
        #expect(result.stdout.contains("\"available\":\"bundled\""))
        #expect(result.stdout.contains("\"kerashub_handle\":\"kaggle://keras/bert/keras/bert_base_en_uncased/3\""))
    }
}
