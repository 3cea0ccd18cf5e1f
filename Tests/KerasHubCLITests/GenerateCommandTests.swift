import Foundation
import Testing

@Suite struct GenerateCommandTests {
    struct Fixture: Decodable {
        struct Case: Decodable { var prompt: [Int32]; var max_length: Int; var output: [Int32]; var num_beams: Int? }
        var greedy: [Case]
        var beam: [Case]
    }
    struct Output: Decodable { var token_ids: [Int32]; var text: String? }

    static let preset = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/gpt2_lm").path

    func fixture() throws -> Fixture {
        let url = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/generation/gpt2_lm.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Greedy and beam generation from the command line give transformers' `generate` ids.
    @Test func promptIdsReproduceTransformersGenerate() throws {
        let fixture = try fixture()
        for testCase in fixture.greedy.prefix(2) + fixture.beam.prefix(1) {
            var arguments = ["generate", "--preset", Self.preset,
                             "--prompt-ids", testCase.prompt.map(String.init).joined(separator: ","),
                             "--max-new-tokens", String(testCase.max_length - testCase.prompt.count)]
            if let beams = testCase.num_beams { arguments += ["--sampler", "beam", "--num-beams", String(beams)] }
            let result = try CLIRunner.run(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
            #expect(output.token_ids == testCase.output)
            #expect(output.text == nil)  // the fixture checkpoint has no tokenizer
        }
    }

    @Test func textPromptUsesThePreprocessorAndSamplingIsSeeded() throws {
        // Random GPT-2 weights are not shipped; a tiny KerasHub preset is written for the test.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kh-gen-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let convert = try CLIRunner.run(["convert", "--from", Self.preset, "--to", directory.path])
        #expect(convert.status == 0, "\(convert.stderr)")
        let noTokenizer = try CLIRunner.run(["generate", "--preset", directory.path, "--prompt", "Hello", "--max-new-tokens", "3"])
        #expect(noTokenizer.status == 1 && noTokenizer.stderr.contains("--prompt-ids"))
        let sampled = ["generate", "--preset", Self.preset, "--prompt-ids", "5,6,7", "--max-new-tokens", "8",
                       "--sampler", "top-k", "--top-k", "3", "--seed", "11"]
        let first = try CLIRunner.run(sampled), second = try CLIRunner.run(sampled)
        #expect(first.status == 0 && first.stdout == second.stdout)
        let outputs = try JSONDecoder().decode(Output.self, from: Data(first.stdout.utf8))
        #expect(outputs.token_ids.count == 11 && Array(outputs.token_ids.prefix(3)) == [5, 6, 7])
    }

    @Test func usageAndInputErrors() throws {
        #expect(try CLIRunner.run(["generate", "--preset", Self.preset, "--prompt", "a", "--prompt-ids", "1", "--max-new-tokens", "3"]).status == 2)
        #expect(try CLIRunner.run(["generate", "--preset", Self.preset, "--prompt-ids", "1,x", "--max-new-tokens", "3"]).status == 2)
        let outOfVocabulary = try CLIRunner.run(["generate", "--preset", Self.preset, "--prompt-ids", "1,99999", "--max-new-tokens", "3"])
        #expect(outOfVocabulary.status == 1 && outOfVocabulary.stderr.contains("99999"))
        let badK = try CLIRunner.run(["generate", "--preset", Self.preset, "--prompt-ids", "1", "--max-new-tokens", "3", "--sampler", "top-k", "--top-k", "0"])
        #expect(badK.status == 1)
    }
}
