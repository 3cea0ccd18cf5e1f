import Foundation
import Testing

/// Bad input lines make the CLI exit 1 with a message naming the line and what is wrong; invalid
/// UTF-8 is replaced (U+FFFD), not an error.
@Suite struct CLIInputValidationTests {
    static let bert = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/bert_a").path

    /// Each bad `encode` line (after one good line) with a fragment of the message it must get.
    static let badEncodeLines: [(line: String, message: String)] = [
        ("{\"token_ids\": [1, 99999]}", "id 99999 at [0, 1] is outside 0..<"),
        ("{\"token_ids\": [1, -1]}", "id -1 at [0, 1] is outside"),
        ("{\"token_ids\": [\(Array(repeating: "1", count: 25).joined(separator: ","))]}", "sequence length 25 exceeds the model's maximum sequence length 24"),
        ("{\"token_ids\": []}", "'token_ids' must be a non-empty array of integers"),
        ("{\"token_ids\": [1.5]}", "'token_ids' must be a non-empty array of integers"),
        ("{\"token_ids\": [4294967296]}", "'token_ids' must be a non-empty array of integers"),
        ("{\"token_ids\": \"1 2\"}", "'token_ids' must be a non-empty array of integers"),
        ("{\"token_ids\": [1, 2], \"padding_mask\": [1]}", "padding_mask: row 0 has 1 entries, expected 2"),
        ("{\"token_ids\": [1, 2], \"padding_mask\": [1, 2]}", "'padding_mask' entries must be 0, 1, true or false"),
        ("{\"token_ids\": [1, 2], \"padding_mask\": 1}", "'padding_mask' must be an array"),
        ("{\"token_ids\": [1, 2], \"segment_ids\": [0, 5]}", "segment_ids: id 5 at [0, 1] is outside 0..<"),
        ("{\"token_ids\": [1, 2], \"segment_ids\": [0]}", "segment_ids: row 0 has 1 entries, expected 2"),
        ("[1, 2]", "expected a JSON object"),
        ("{oops", "not valid JSON"),
    ]

    @Test func badEncodeLinesExitOneNamingLineAndProblem() throws {
        for (line, message) in Self.badEncodeLines {
            let result = try CLIRunner.run(["encode", "--preset", Self.bert], stdin: "{\"token_ids\": [1, 2]}\n\n\(line)\n")
            #expect(result.status == 1, "\(line)")
            // Input is streamed in batches and answered in order: the good line's answer is out
            // before the bad line stops the run, whatever is wrong with it.
            #expect(result.lines.count == 1, "\(line)")
            #expect(result.stderr.contains("<stdin>:3:"), "\(line): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(line): \(result.stderr)")
        }
    }

    @Test func invalidUTF8IsReplacedNotAnError() throws {
        // "caf\xE9" (Latin-1) and a lone continuation byte, inside JSON strings.
        var bytes = Data("\"caf".utf8) + Data([0xE9]) + Data("\"\n\"a".utf8) + Data([0x80]) + Data("b\"\n".utf8)
        let result = try CLIRunner.run(["tokenize", "--preset", "gpt2_base_en"], stdinBytes: bytes)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try CLIRunner.run(["tokenize", "--preset", "gpt2_base_en"], stdin: "\"caf\u{FFFD}\"\n\"a\u{FFFD}b\"\n")
        #expect(result.lines == expected.lines)
        #expect(result.lines.count == 2)
        // Outside a string, invalid bytes are still not JSON.
        bytes = Data([0xFF, 0x0A])
        let notJSON = try CLIRunner.run(["tokenize", "--preset", "gpt2_base_en"], stdinBytes: bytes)
        #expect(notJSON.status == 1 && notJSON.stderr.contains("<stdin>:1:"))
    }

    @Test func badDetokenizeLines() throws {
        for line in ["[-1]", "[1.5]", "{\"ids\": [1]}", "\"text\"", "[99999999999]"] {
            let result = try CLIRunner.run(["detokenize", "--preset", "gpt2_base_en"], stdin: "[1]\n\(line)\n")
            #expect(result.status == 1, "\(line)")
            #expect(result.stderr.contains("<stdin>:2:"), "\(line): \(result.stderr)")
        }
    }
}
