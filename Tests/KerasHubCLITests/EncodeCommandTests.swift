import Foundation
import Testing
import KerasHub

@Suite struct EncodeCommandTests {
    struct Case: Decodable { var input_ids: [[Int32]]; var attention_mask: [[Int32]]; var token_type_ids: [[Int32]]? }

    /// `keras-hub encode --preset <transformers dir>` reproduces transformers' outputs for the fixtures.
    @Test(arguments: ["bert_a", "distilbert_a", "gpt2_a"])
    func encodeReproducesTransformersFixtures(name: String) throws {
        let directory = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/\(name)")
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
        let expected = try SafetensorsFile(contentsOf: directory.appendingPathComponent("expected.safetensors"))
        var input = ""
        var rows: [(caseIndex: Int, row: Int, length: Int)] = []
        for (caseIndex, testCase) in cases.enumerated() {
            for row in 0..<testCase.input_ids.count {
                let length = testCase.attention_mask[row].filter { $0 != 0 }.count
                var object = ["token_ids": Array(testCase.input_ids[row].prefix(length))]
                if let segments = testCase.token_type_ids { object["segment_ids"] = Array(segments[row].prefix(length)) }
                input += String(decoding: try JSONEncoder().encode(object), as: UTF8.self) + "\n"
                rows.append((caseIndex, row, length))
            }
        }
        let result = try CLIRunner.run(["encode", "--preset", directory.path], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == rows.count)
        for (line, item) in zip(result.lines, rows) {
            struct Output: Decodable { var sequence_output: [[Float]]; var pooled_output: [Float]? }
            let output = try JSONDecoder().decode(Output.self, from: Data(line.utf8))
            let reference = try expected.tensor(named: "case\(item.caseIndex).last_hidden_state")
            #expect(output.sequence_output.count == item.length)
            var worst: Float = 0
            for (position, vector) in output.sequence_output.enumerated() {
                for (column, value) in vector.enumerated() {
                    worst = max(worst, abs(value - reference[item.row, position, column]))
                }
            }
            #expect(worst <= 1e-4, "\(name) case \(item.caseIndex) row \(item.row): \(worst)")
        }
    }

    @Test func badInputExitsOneAndNamesTheLine() throws {
        let preset = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/bert_a").path
        let result = try CLIRunner.run(["encode", "--preset", preset], stdin: "{\"token_ids\": [1, 2]}\n{\"token_ids\": [1, 9999]}\n")
        #expect(result.status == 1)
        #expect(result.lines.count == 1)
        #expect(result.stderr.contains("<stdin>:2:"))
        #expect(result.stderr.contains("9999"))
        let notJSON = try CLIRunner.run(["encode", "--preset", preset], stdin: "{oops\n")
        #expect(notJSON.status == 1 && notJSON.stderr.contains("<stdin>:1: not valid JSON"))
    }

    @Test func textGoesThroughThePresetsPreprocessor() throws {
        let viaText = try CLIRunner.run(["encode", "--preset", "all_minilm_l6_v2_en", "--text"], stdin: "\"The quick brown fox.\"\n")
        let viaIds = try CLIRunner.run(
            ["encode", "--preset", "all_minilm_l6_v2_en"], stdin: "{\"token_ids\": [101, 1996, 4248, 2829, 4419, 1012, 102]}\n")
        #expect(viaText.status == 0 && viaIds.status == 0, "\(viaText.stderr)\(viaIds.stderr)")
        #expect(viaText.stdout == viaIds.stdout)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLIRunner.run(["encode"]).status == 2)
        #expect(try CLIRunner.run(["no-such-command"]).status == 2)
        #expect(try CLIRunner.run(["encode", "--preset", "clowntown"]).status == 1)
    }

    @Test func convertWritesAPresetThatEncodesTheSame() throws {
        let source = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/distilbert_mlm").path
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("kh-convert-\(UUID())")
        defer { try? FileManager.default.removeItem(at: target) }
        let convert = try CLIRunner.run(["convert", "--from", source, "--to", target.path])
        #expect(convert.status == 0, "\(convert.stderr)")
        let input = "{\"token_ids\": [5, 6, 7, 8]}\n"
        let before = try CLIRunner.run(["encode", "--preset", source], stdin: input)
        let after = try CLIRunner.run(["encode", "--preset", target.path], stdin: input)
        #expect(before.status == 0 && after.status == 0)
        #expect(before.stdout == after.stdout)
        // A masked-LM checkpoint converts with its head, in KerasHub's files.
        for file in ["config.json", "metadata.json", "model.weights.h5", "task.json", "task.weights.h5"] {
            #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try CLIRunner.run(["convert", "--from", source, "--to", target.path, "--dtype", "int8"]).status == 2)
        #expect(try CLIRunner.run(["convert", "--from", source, "--to", target.path, "--format", "npz"]).status == 2)
        #expect(try CLIRunner.run(["convert", "--from", source, "--to", target.path, "--max-shard-size", "0"]).status == 2)
    }

    /// `--format safetensors` writes our model.safetensors; a small shard size shards KerasHub's weights.
    @Test func convertFormatsAndShards() throws {
        let source = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/gpt2_a").path
        let ours = FileManager.default.temporaryDirectory.appendingPathComponent("kh-convert-st-\(UUID())")
        let sharded = FileManager.default.temporaryDirectory.appendingPathComponent("kh-convert-sh-\(UUID())")
        defer {
            try? FileManager.default.removeItem(at: ours)
            try? FileManager.default.removeItem(at: sharded)
        }
        #expect(try CLIRunner.run(["convert", "--from", source, "--to", ours.path, "--format", "safetensors"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: ours.appendingPathComponent("model.safetensors").path))
        #expect(!FileManager.default.fileExists(atPath: ours.appendingPathComponent("model.weights.h5").path))
        #expect(try CLIRunner.run(["convert", "--from", ours.path, "--to", sharded.path, "--max-shard-size", "0.05"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: sharded.appendingPathComponent("model.weights.json").path))
        #expect(FileManager.default.fileExists(atPath: sharded.appendingPathComponent("model_00002.weights.h5").path))
        let input = "{\"token_ids\": [5, 6, 7, 8]}\n"
        let before = try CLIRunner.run(["encode", "--preset", source], stdin: input)
        let after = try CLIRunner.run(["encode", "--preset", sharded.path], stdin: input)
        #expect(before.status == 0 && before.stdout == after.stdout)
    }
}
