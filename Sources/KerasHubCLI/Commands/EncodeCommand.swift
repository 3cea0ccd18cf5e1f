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
            guard let object = line.value.objectValue else { throw line.failure("expected a JSON object") }
            guard let ids = object["token_ids"]?.int32Array, !ids.isEmpty else {
                throw line.failure("'token_ids' must be a non-empty array of integers")
            }
            var mask: [Bool]?
            if let value = object["padding_mask"] {
                guard let elements = value.arrayValue else { throw line.failure("'padding_mask' must be an array") }
                mask = try elements.map { element in
                    if let flag = element.boolValue { return flag }
                    if let number = element.intValue, number == 0 || number == 1 { return number == 1 }
                    throw line.failure("'padding_mask' entries must be 0, 1, true or false")
                }
            }
            var segments: [Int32]?
            if let value = object["segment_ids"] {
                guard let parsed = value.int32Array else { throw line.failure("'segment_ids' must be an array of integers") }
                segments = parsed
            }
            let output: BackboneOutput
            do {
                let batch = try TokenBatch(
                    tokenIds: [ids], paddingMask: mask.map { [$0] }, segmentIds: segments.map { [$0] })
                output = try backbone(batch)
            } catch let error as InputError {
                throw line.failure(error.description)
            }
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
