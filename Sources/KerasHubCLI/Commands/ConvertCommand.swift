import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub convert`: any loadable preset (a transformers checkpoint, a KerasHub preset, a
/// built-in name, `hf://`, `kaggle://`) to a preset in KerasHub's own layout.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a preset to KerasHub's layout (model.weights.h5, config.json, …), which Python KerasHub loads.",
        discussion: """
            The task the preset holds (a transformers checkpoint with a head, e.g. BertForSequenceClassification, \
            or a KerasHub preset with task.json) is converted with its head and preprocessor; otherwise the backbone \
            and the tokenizer. --format safetensors writes our model.safetensors instead of KerasHub's .weights.h5.
            """)

    @Option(help: "The preset to convert: a directory, a built-in name, hf://… or kaggle://….")
    var from: String

    @Option(help: "The preset directory to write.")
    var to: String

    @Option(help: "Weight storage dtype: float32, float16 or bfloat16.")
    var dtype: String = "float32"

    @Option(help: "Weights format: keras (KerasHub's .weights.h5) or safetensors (ours).")
    var format: String = "keras"

    @Option(help: "Shard the backbone weights above this many megabytes, fractions allowed (KerasHub's max_shard_size; default 10240).")
    var maxShardSize: Double = Double(PresetSaveOptions.defaultMaxShardBytes >> 20)

    func validate() throws {
        guard DType(rawValue: dtype) != nil else {
            throw ValidationError("--dtype must be float32, float16 or bfloat16, not '\(dtype)'")
        }
        guard PresetWeightsFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be keras or safetensors, not '\(format)'")
        }
        guard maxShardSize.isFinite, maxShardSize >= 0.001, maxShardSize <= Double(1 << 30) else {
            throw ValidationError("--max-shard-size must be between 0.001 and \(1 << 30) megabytes, not \(maxShardSize)")
        }
    }

    func run() throws {
        let options = PresetSaveOptions(
            dtype: DType(rawValue: dtype) ?? .float32, format: PresetWeightsFormat(rawValue: format) ?? .kerasHub,
            maxShardBytes: Int(maxShardSize * 1_048_576))
        let destination = URL(fileURLWithPath: to)
        let source = try PresetResolver.resolve(from, for: .backbone(loadWeights: true))
        if source.url.standardizedFileURL.path == destination.standardizedFileURL.path {
            throw CommandFailure(message: "--to \(to) is the preset being converted; write to another directory")
        }
        if try source.taskWithHead() != nil {
            let task = try Task.fromPreset(source.url.path)
            try task.saveToPreset(destination, options: options)
            Terminal.error("wrote \(type(of: task)) (\(task.backbone.parameterCount) backbone parameters) to \(destination.path)")
            return
        }
        let backbone = try Backbone.fromPreset(source.url.path)
        try backbone.saveToPreset(destination, options: options)
        var wrote = "\(type(of: backbone)) (\(backbone.parameterCount) parameters)"
        let tokenizerFiles = ["tokenizer.json", "vocab.txt", "vocab.json", "sentencepiece.bpe.model", "spiece.model", "tokenizer.model"]
        if tokenizerFiles.contains(where: source.has) {
            let tokenizer = try Tokenizer.fromPreset(source.url.path)
            try tokenizer.saveToPreset(destination)
            wrote += " and \(type(of: tokenizer.base))"
        }
        Terminal.error("wrote \(wrote) to \(destination.path)")
    }
}
