import ArgumentParser
import Foundation
import KerasHub

/// The `keras-hub` command line (DESIGN §4): JSON Lines in, JSON Lines out; messages on stderr;
/// exit status 0 ok, 1 bad input, 2 usage.
@main
struct KerasHubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keras-hub",
        abstract: "KerasHub models, tokenizers and presets from the command line.",
        discussion: "Input files are JSON Lines ('-' is stdin); output is one JSON value per line on stdout.",
        subcommands: [
            PresetsCommand.self, TokenizeCommand.self, DetokenizeCommand.self, VocabularyCommand.self, EncodeCommand.self, EmbedCommand.self, GenerateCommand.self,
            PredictCommand.self, ConvertCommand.self, BenchCommand.self,
        ])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CommandFailure {
            Terminal.error(error.message)
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure || error is ValidationError || isArgumentParserError(error) {
                Terminal.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            Terminal.error("\(error)")
            Foundation.exit(1)
        }
    }

    /// Errors thrown by the parser itself (unknown option, missing argument) are usage errors.
    static func isArgumentParserError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}

/// A failure caused by the input, reported on stderr with exit status 1.
struct CommandFailure: Error {
    /// The whole message, with the place it names (`FILE:LINE: ...`).
    let message: String
    /// What was wrong with one input line, without its place, when the failure is about one line
    /// (what `--on-error record` writes as the line's `"error"`).
    var reason: String? = nil
}
