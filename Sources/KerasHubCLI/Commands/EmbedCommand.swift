import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub embed`: sentence embeddings.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Sentence embeddings: one JSON array of floats per input text.",
        discussion: """
        Pooling and normalisation are the preset's. Texts come from the arguments, or else from --input: \
        one JSON string (or {"text": ...}) per line.
        """)

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String = "all_minilm_l6_v2_en"

    @Option(help: "JSON Lines input file ('-' for stdin); read when no TEXT is given.")
    var input: String = "-"

    @OptionGroup var lineLimit: LineLimitOptions

    @Option(help: "Texts per forward pass.")
    var batchSize: Int = 32

    @Argument(help: "Texts to embed.")
    var texts: [String] = []

    func validate() throws {
        guard (1...CountLimits.batch).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and \(CountLimits.batch), not \(batchSize)")
        }
    }

    func run() throws {
        let embedder = try TextEmbedder.fromPreset(preset)
        let inputs = texts.isEmpty ? try JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes).texts() : texts
        var done = 0
        let progress = ProgressBar(total: inputs.count, label: "embed")
        for start in stride(from: 0, to: inputs.count, by: batchSize * 8) {
            let chunk = Array(inputs[start..<min(inputs.count, start + batchSize * 8)])
            for vector in try embedder.embed(chunk, batchSize: batchSize) {
                Terminal.output(JSONOutput.floats(vector))
            }
            done += chunk.count
            progress?.update(done)
        }
        progress?.finish()
    }
}
