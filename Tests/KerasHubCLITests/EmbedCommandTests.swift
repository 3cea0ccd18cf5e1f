import Foundation
import Testing

@Suite struct EmbedCommandTests {
    @Test func embedsWithTheBundledPresetByDefault() throws {
        let result = try CLIRunner.run(["embed", "A man is eating food."], stdin: "")
        #expect(result.status == 0, "\(result.stderr)")
        let vector = try JSONDecoder().decode([Float].self, from: Data(try #require(result.lines.first).utf8))
        #expect(vector.count == 384)
        #expect(abs(vector.map { $0 * $0 }.reduce(0, +) - 1) < 1e-4)
        let fromLines = try CLIRunner.run(["embed"], stdin: "\"A man is eating food.\"\n\"Hi!\"\n")
        #expect(fromLines.lines.count == 2)
        // Batched with another text (so padded) the vector is the same up to float rounding.
        let batched = try JSONDecoder().decode([Float].self, from: Data(try #require(fromLines.lines.first).utf8))
        #expect(zip(vector, batched).map { abs($0 - $1) }.max() ?? 1 < 1e-5)
        #expect(try CLIRunner.run(["embed", "--batch-size", "0", "x"]).status == 2)
    }
}
