import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub tokenize`: token ids per text, without special tokens.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize text: one JSON array of token ids per input (no special tokens).",
        discussion: "Texts come from the arguments, or else from --input: one JSON string (or {\"text\": ...}) per line.")

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String

    @Option(help: "JSON Lines input file ('-' for stdin); read when no TEXT is given.")
    var input: String = "-"

    @Argument(help: "Texts to tokenize.")
    var texts: [String] = []

    func run() throws {
        let tokenizer = try Tokenizer.fromPreset(preset)
        let inputs = texts.isEmpty ? try JSONLinesInput(path: input).texts() : texts
        for ids in tokenizer.tokenize(inputs) {
            Terminal.output("[" + ids.map(String.init).joined(separator: ",") + "]")
        }
    }
}

/// `keras-hub detokenize`: text per array of token ids.
struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize", abstract: "Detokenize: input lines are JSON arrays of ids; output JSON strings.")

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String

    @Option(help: "JSON Lines input file ('-' for stdin).")
    var input: String = "-"

    func run() throws {
        let tokenizer = try Tokenizer.fromPreset(preset)
        for line in try JSONLinesInput(path: input).lines() {
            guard let ids = line.value.int32Array else { throw line.failure("expected a JSON array of integer token ids") }
            if let bad = ids.first(where: { $0 < 0 || Int($0) >= tokenizer.vocabularySize }) {
                throw line.failure("token id \(bad) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
            }
            Terminal.output(JSONOutput.line(.string(tokenizer.detokenize(ids))))
        }
    }
}

extension JSONLinesInput {
    /// The input lines as texts: JSON strings, or objects with a string `text`.
    func texts() throws -> [String] {
        try lines().map { line in
            if let text = line.value.stringValue ?? line.value["text"]?.stringValue { return text }
            throw line.failure("expected a JSON string or an object with a string \"text\"")
        }
    }
}
