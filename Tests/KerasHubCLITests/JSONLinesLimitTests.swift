import Foundation
import Testing
@testable import KerasHubCLI

/// JSON Lines input is streamed and a line longer than `--max-line-bytes` is refused before it is
/// parsed, naming the source and line (a 200 MB line used to be parsed into 6 GB first).
@Suite struct JSONLinesLimitTests {
    static let bert = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/bert_a").path

    @Test func aLineOverTheLimitIsRefusedNamingItsLine() throws {
        let input = "\"short\"\n\"" + String(repeating: "a", count: 200) + "\"\n"
        let result = try CLIRunner.run(["tokenize", "--preset", "all_minilm_l6_v2_en", "--max-line-bytes", "100"], stdin: input)
        #expect(result.status == 1)
        #expect(result.stderr.contains("<stdin>:2: line is longer than --max-line-bytes (100 bytes)"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Exactly at the limit is accepted, with or without `\r\n`; one byte more is not.
    @Test func theLimitIsExactAndACarriageReturnDoesNotCount() throws {
        let line = Data(("\"" + String(repeating: "b", count: 8) + "\"").utf8)  // 10 bytes
        for ending in ["\n", "\r\n", ""] {
            let lines = try JSONLinesInput.parse(line + Data(ending.utf8), source: "t", maxLineBytes: 10)
            #expect(lines.count == 1 && lines.first?.value.stringValue == "bbbbbbbb")
            #expect(throws: CommandFailure.self) { try JSONLinesInput.parse(line + Data(ending.utf8), source: "t", maxLineBytes: 9) }
        }
    }

    /// Lines split across the reader's 64 KiB reads keep their numbers and bytes.
    @Test func streamedLinesMatchTheWholeInput() throws {
        var text = ""
        for index in 0..<3000 { text += "{\"text\": \"\(String(repeating: "x", count: index % 97))\"}\n\n" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("jsonl-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let streamed = try JSONLinesInput(path: file.path).lines()
        #expect(streamed.count == 3000)
        #expect(streamed.last?.number == 5999)
        #expect(streamed.map { $0.value["text"]?.stringValue?.count ?? -1 } == (0..<3000).map { $0 % 97 })
    }

    @Test func theFlagIsBounded() throws {
        for bad in ["0", "-5", "2000000000"] {
            let result = try CLIRunner.run(["embed", "--preset", Self.bert, "--max-line-bytes=\(bad)"])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("--max-line-bytes must be between 1 and"), "\(result.stderr)")
        }
    }
}
