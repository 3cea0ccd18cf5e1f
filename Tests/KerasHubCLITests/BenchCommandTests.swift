import Foundation
import Testing
import KerasHub

@Suite struct BenchCommandTests {
    struct Report: Decodable {
        var median_ms: Double
        var tokens_per_second: Double?
        var samples_ms: [Double]?
    }

    func lastJSON(_ result: CLIRunner.Result) throws -> Report {
        let line = try #require(result.lines.last)
        return try JSONDecoder().decode(Report.self, from: Data(line.utf8))
    }

    /// `bench forward` on a small transformers-layout fixture: one JSON report with the timings.
    @Test func forwardReportsMedianAndTokensPerSecond() throws {
        let directory = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/bert_a")
        let result = try CLIRunner.run([
            "bench", "forward", "--preset", directory.path, "--batch", "2", "--sequence-length", "8",
            "--runs", "3", "--warmup", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try lastJSON(result)
        #expect(report.median_ms > 0)
        #expect((report.tokens_per_second ?? 0) > 0)
        #expect(report.samples_ms?.count == 3)
    }

    /// `bench generate` decodes with the cache on a small GPT-2 fixture.
    @Test func generateReportsTokensPerSecond() throws {
        let directory = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/gpt2_a")
        let result = try CLIRunner.run([
            "bench", "generate", "--preset", directory.path, "--prompt-length", "4", "--new-tokens", "3",
            "--runs", "2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try lastJSON(result).tokens_per_second ?? 0) > 0)
    }

    /// `bench load` reports the load time; usage errors exit with status 2.
    @Test func tokenizeReportsMegabytesPerSecondOverAFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kh-bench-\(UUID()).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(String(repeating: "The quick brown fox.\n", count: 100).utf8).write(to: file)
        for threads in ["1", "2"] {
            let result = try CLIRunner.run(["bench", "tokenize", "--preset", "gpt2_base_en", "--input", file.path,
                                            "--threads", threads, "--runs", "2", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let line = try #require(result.lines.last)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["tokens"] as? Int == 100 * 5)  // [464, 2068, 7586, 21831, 13] per line
            #expect((object["mb_per_second"] as? Double ?? 0) > 0 && (object["tokens_per_second"] as? Double ?? 0) > 0)
        }
        #expect(try CLIRunner.run(["bench", "tokenize", "--preset", "gpt2_base_en", "--input", "/nonexistent"]).status == 1)
    }

    @Test func loadAndUsageErrors() throws {
        let directory = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/bert_a")
        let result = try CLIRunner.run(["bench", "load", "--preset", directory.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try lastJSON(result).median_ms > 0)
        #expect(try CLIRunner.run(["bench", "forward", "--batch", "1"]).status == 2)
        #expect(try CLIRunner.run(["bench", "forward", "--config", "nope"]).status == 2)
        #expect(try CLIRunner.run(["bench", "generate", "--preset", directory.path]).status == 1)
    }
}
