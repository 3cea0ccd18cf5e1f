import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub encode`: backbone outputs for token ids.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Run a backbone on token ids.",
        discussion: """
        Each input line is {"token_ids": [...], "padding_mask": [...]?, "segment_ids": [...]?}; each output \
        line is {"sequence_output": [[...], ...], "pooled_output": [...]?}.
        """)

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String

    @Option(help: "JSON Lines input file ('-' for stdin).")
    var input: String = "-"

    func run() throws {
        let backbone = try Backbone.fromPreset(preset)
        for line in try JSONLinesInput(path: input).lines() {
            let batch = try line.tokenBatch()
            let output: BackboneOutput
            do {
                output = try backbone(batch)
            } catch let error as InputError {
                throw line.failure(error.description)
            }
            let ids = batch.tokenIds
            let hidden = output.sequenceOutput.shape[2]
            let rows = (0..<ids.count).map { row in
                JSONOutput.floats(output.sequenceOutput.scalars[(row * hidden)..<((row + 1) * hidden)])
            }
            var text = "{\"sequence_output\":[" + rows.joined(separator: ",") + "]"
            if let pooled = output.pooledOutput { text += ",\"pooled_output\":" + JSONOutput.floats(pooled.scalars) }
            Terminal.output(text + "}")
        }
    }
}
