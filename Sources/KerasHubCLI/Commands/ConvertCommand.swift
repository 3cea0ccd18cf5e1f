import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub convert`: a transformers checkpoint directory to a KerasHub-layout preset.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert", abstract: "Convert a transformers checkpoint directory to a preset in the KerasHub layout.")

    @Option(help: "The transformers checkpoint directory (config.json with model_type, model.safetensors).")
    var from: String

    @Option(help: "The preset directory to write.")
    var to: String

    @Option(help: "Weight storage dtype: float32 or float16.")
    var dtype: String = "float32"

    func validate() throws {
        guard dtype == "float32" || dtype == "float16" || dtype == "bfloat16" else {
            throw ValidationError("--dtype must be float32, float16 or bfloat16, not '\(dtype)'")
        }
    }

    func run() throws {
        let source = PresetDirectory(url: URL(fileURLWithPath: from))
        guard try source.layout() == .transformers else {
            throw CommandFailure(message: "\(from): not a transformers checkpoint (config.json has no model_type)")
        }
        let backbone = try Backbone.fromPreset(from)
        let destination = URL(fileURLWithPath: to)
        try backbone.saveToPreset(destination, dtype: DType(rawValue: dtype) ?? .float32)
        var wrote = "\(type(of: backbone)) (\(backbone.parameterCount) parameters)"
        let hasVocabulary = ["vocab.txt", "vocab.json", "tokenizer.json"].contains { source.has($0) }
        if hasVocabulary {
            let tokenizer = try Tokenizer.fromPreset(from)
            try tokenizer.saveToPreset(destination)
            wrote += " and \(type(of: tokenizer.base))"
        }
        Terminal.error("wrote \(wrote) to \(destination.path)")
    }
}
