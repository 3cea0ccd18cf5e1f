import Foundation
import Testing

/// `--on-error record`, `--max-errors`, `--id-field` and streamed output: the CLI as a batch
/// worker that Spark pipes a partition through (DESIGN §4, §7).
@Suite struct BatchWorkerTests {
    static let bert = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/bert_a").path
    static let minilm = "all_minilm_l6_v2_en"
    static let gpt2 = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/gpt2_lm").path

    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) as? [String: Any])
        }
    }

    /// Bad lines become error objects in their own places, good lines give the vectors a run of
    /// only the good lines gives, and ids are copied.
    @Test func embedRecordsBadLinesInPlace() throws {
        let input = [
            "{\"text\": \"A man is eating food.\", \"id\": \"a\"}",
            "{oops",
            "",
            "\"Hi!\"",
            "{\"text\": 5, \"id\": 7}",
            "{\"text\": \"A cat sat.\", \"id\": [1, 2]}",
        ].joined(separator: "\n") + "\n"
        let recorded = try CLIRunner.run(["embed", "--on-error", "record", "--id-field", "id", "--batch-size", "2"], stdin: input)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let lines = try Self.objects(recorded.stdout)
        try #require(lines.count == 6)
        #expect(lines[0]["id"] as? String == "a")
        #expect(lines[1]["line"] as? Int == 2 && (lines[1]["error"] as? String)?.contains("not valid JSON") == true)
        #expect(lines[2]["line"] as? Int == 3 && (lines[2]["error"] as? String)?.contains("blank line") == true)
        #expect(lines[3]["id"] == nil && (lines[3]["embedding"] as? [Double])?.count == 384)
        #expect(lines[4]["line"] as? Int == 5 && lines[4]["id"] as? Int == 7 && lines[4]["embedding"] == nil)
        #expect(lines[5]["id"] as? [Int] == [1, 2])

        let good = try CLIRunner.run(["embed"], stdin: "\"A man is eating food.\"\n\"Hi!\"\n\"A cat sat.\"\n")
        let expected = try good.lines.map { try JSONDecoder().decode([Float].self, from: Data($0.utf8)) }
        for (row, vector) in zip([0, 3, 5], expected) {
            let found = try #require(lines[row]["embedding"] as? [Double]).map(Float.init)
            #expect(zip(found, vector).map { abs($0 - $1) }.max() ?? 1 < 1e-5, "line \(row + 1)")
        }
        // Without --on-error record the first bad line stops the run (exit 1), after the answer
        // of the line before it; a blank line is skipped.
        let failing = try CLIRunner.run(["embed", "--batch-size", "1"], stdin: input)
        #expect(failing.status == 1 && failing.stderr.contains("<stdin>:2:"), "\(failing.stderr)")
        #expect(failing.lines.count == 1)
    }

    /// More bad lines than --max-errors stop the run with exit 1; --max-errors needs record.
    @Test func maxErrorsBoundsTheBadLines() throws {
        let input = "\"a\"\n1\n2\n\"b\"\n3\n"
        let within = try CLIRunner.run(["tokenize", "--preset", Self.minilm, "--on-error", "record", "--max-errors", "3"], stdin: input)
        #expect(within.status == 0 && within.lines.count == 5, "\(within.stderr)")
        let over = try CLIRunner.run(["tokenize", "--preset", Self.minilm, "--on-error", "record", "--max-errors", "2"], stdin: input)
        #expect(over.status == 1 && over.stderr.contains("more than --max-errors 2") && over.stderr.contains("<stdin>:5"), "\(over.stderr)")
        #expect(over.lines.count == 5)
        #expect(try CLIRunner.run(["tokenize", "--preset", Self.minilm, "--max-errors", "2"], stdin: input).status == 2)
        #expect(try CLIRunner.run(["tokenize", "--preset", Self.minilm, "--on-error", "record", "--max-errors=-1"], stdin: input).status == 2)
        #expect(try CLIRunner.run(["tokenize", "--preset", Self.minilm, "--id-field", ""], stdin: input).status == 2)
    }

    /// Encode and tokenize record a line the model refuses (an id outside the vocabulary) without
    /// losing the lines of its batch; ids go into the output objects.
    @Test func encodeAndTokenizeRecordWhatTheModelRefuses() throws {
        let input = "{\"token_ids\": [1, 2], \"id\": 1}\n{\"token_ids\": [1, 999999], \"id\": 2}\n{\"token_ids\": [3], \"id\": 3}\n"
        let encoded = try CLIRunner.run(["encode", "--preset", Self.bert, "--on-error", "record", "--id-field", "id"], stdin: input)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let lines = try Self.objects(encoded.stdout)
        try #require(lines.count == 3)
        #expect(lines[0]["id"] as? Int == 1 && lines[0]["sequence_output"] != nil)
        #expect(lines[1]["id"] as? Int == 2 && (lines[1]["error"] as? String)?.contains("999999") == true, "\(lines[1])")
        #expect(lines[2]["id"] as? Int == 3 && lines[2]["sequence_output"] != nil)

        let tokenized = try CLIRunner.run(
            ["tokenize", "--preset", Self.minilm, "--on-error", "record", "--id-field", "key"],
            stdin: "{\"text\": \"hello world\", \"key\": \"k1\"}\n[\"a\", \"b\"]\n{\"text\": \"hello\"}\n")
        let tokens = try Self.objects(tokenized.stdout)
        try #require(tokens.count == 3, "\(tokenized.stderr)")
        #expect(tokens[0]["key"] as? String == "k1" && (tokens[0]["token_ids"] as? [Int])?.isEmpty == false)
        #expect((tokens[1]["error"] as? String)?.contains("pairs of segments") == true)
        #expect(tokens[2]["key"] == nil && tokens[2]["token_ids"] != nil)
    }

    /// Generate reads prompts from JSON Lines; each gives what --prompt-ids gives, bad prompts are recorded.
    @Test func generateReadsPromptLines() throws {
        let single = try CLIRunner.run(["generate", "--preset", Self.gpt2, "--prompt-ids", "5,6,7", "--max-new-tokens", "4"])
        #expect(single.status == 0, "\(single.stderr)")
        let lines = try CLIRunner.run(
            ["generate", "--preset", Self.gpt2, "--max-new-tokens", "4", "--on-error", "record", "--id-field", "id"],
            stdin: "{\"prompt_ids\": [5, 6, 7], \"id\": \"p\"}\n{\"prompt_ids\": []}\n{\"prompt\": \"needs a tokenizer\"}\n")
        #expect(lines.status == 0, "\(lines.stderr)")
        let objects = try Self.objects(lines.stdout)
        try #require(objects.count == 3)
        let expected = try #require(try Self.objects(single.stdout).first)
        #expect(objects[0]["token_ids"] as? [Int] == expected["token_ids"] as? [Int] && objects[0]["id"] as? String == "p")
        #expect((objects[1]["error"] as? String)?.contains("prompt_ids") == true)
        #expect((objects[2]["error"] as? String)?.contains("no tokenizer") == true)
    }

    /// A consumer that writes one line and waits gets its answer before it closes the input:
    /// batches are handed on when no more input is waiting, and flushed at once.
    @Test func answersStreamBeforeTheInputEnds() throws {
        let process = Process()
        process.executableURL = try CLIRunner.executable
        process.arguments = ["tokenize", "--preset", Self.minilm]
        process.currentDirectoryURL = CLIRunner.repositoryRoot
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        for (round, text) in ["hello world", "hello"].enumerated() {
            input.fileHandleForWriting.write(Data("\"\(text)\"\n".utf8))
            let line = try Self.readLine(output.fileHandleForReading, seconds: 60)
            #expect(line.hasPrefix("["), "round \(round): \(line)")
        }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// One line from `handle`, waiting at most `seconds`.
    static func readLine(_ handle: FileHandle, seconds: Double) throws -> String {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var poller = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(handle.fileDescriptor, &byte, 1) == 1 else { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        Issue.record("no complete line within \(seconds) s (got \(bytes.count) bytes)")
        return ""
    }
}
