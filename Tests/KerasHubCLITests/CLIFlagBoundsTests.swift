import Foundation
import Testing

/// Counts from flags are bounded before any arithmetic or allocation: values that used to end in
/// SIGILL (overflow), SIGSEGV or SIGABRT (a 96 GB allocation) are usage errors naming the flag, and a
/// count inside the bounds but beyond the model's own limits is a clean exit 1.
@Suite struct CLIFlagBoundsTests {
    static let gpt2 = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/gpt2_lm").path
    static let bert = CLIRunner.repositoryRoot.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures/bert_a").path

    static let hostile: [(arguments: [String], flag: String)] = [
        (["generate", "--preset", gpt2, "--prompt-ids", "1,2", "--max-new-tokens", "9223372036854775807"], "--max-new-tokens"),
        (["generate", "--preset", gpt2, "--prompt-ids", "1,2", "--max-new-tokens", "3", "--sampler", "beam",
          "--num-beams", "9223372036854775807"], "--num-beams"),
        (["generate", "--preset", gpt2, "--prompt-ids", "1,2", "--max-new-tokens", "3", "--sampler", "beam",
          "--num-beams", "100000000"], "--num-beams"),
        (["embed", "--preset", bert, "--batch-size", "2305843009213693952", "hi"], "--batch-size"),
        (["bench", "forward", "--preset", bert, "--batch", "4611686018427387904"], "--batch"),
        (["bench", "forward", "--preset", bert, "--sequence-length", "9223372036854775807"], "--sequence-length"),
        (["bench", "generate", "--preset", gpt2, "--new-tokens", "9223372036854775807"], "--new-tokens"),
    ]

    @Test func hostileCountsAreUsageErrors() throws {
        for (arguments, flag) in Self.hostile {
            let result = try CLIRunner.run(arguments)
            #expect(result.status == 2, "\(arguments.joined(separator: " ")): \(result.stderr)")
            #expect(result.stderr.contains(flag) && result.stderr.contains("must be"), "\(result.stderr)")
        }
    }

    /// Inside the flag's bound, the model's limit still applies: exit 1 with the library's message.
    @Test func modelLimitsStillApply() throws {
        let result = try CLIRunner.run(["generate", "--preset", Self.gpt2, "--prompt-ids", "1,2", "--max-new-tokens", "1048576"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("maxLength") || result.stderr.contains("max length") || result.stderr.contains("positions"), "\(result.stderr)")
    }
}
