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
        one JSON string (or {"text": ...}) per line. Input is streamed: each batch's lines are written as soon as \
        it is done. With --id-field each output is {"embedding": [...], "<field>": id}.
        """)

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String = "all_minilm_l6_v2_en"

    @Option(help: "JSON Lines input file ('-' for stdin); read when no TEXT is given.")
    var input: String = "-"

    @OptionGroup var lineLimit: LineLimitOptions

    @OptionGroup var records: RecordOptions

    @Option(help: "Texts per forward pass (1...\(CountLimits.batch)).")
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
        if !texts.isEmpty {
            var output = OutputBuffer()
            for vector in try embedder.embed(texts, batchSize: batchSize) { output.append(JSONOutput.floats(vector)) }
            try output.flush()
            return
        }
        let worker = LineWorker(
            input: JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes), options: records,
            batchSize: batchSize, progressLabel: "embed")
        try worker.run(parse: { try $0.text() }) { batch in
            try embedder.embed(batch, batchSize: batchSize).map { .success(.value(JSONOutput.floats($0), name: "embedding")) }
        }
    }
}
