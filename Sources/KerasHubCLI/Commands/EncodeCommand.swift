import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub encode`: backbone outputs for token ids.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Run a backbone on token ids (or, with --text, on text through the preset's preprocessor).",
        discussion: """
        Each input line is {"token_ids": [...], "padding_mask": [...]?, "segment_ids": [...]?}, or with --text a \
        JSON string (or {"text": ...}); each output line is {"sequence_output": [[...], ...], "pooled_output": [...]?} \
        over the sequence's real tokens.
        """)

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String

    @Option(help: "JSON Lines input file ('-' for stdin).")
    var input: String = "-"

    @Flag(help: "Read texts and apply the preset's preprocessor ([CLS] … [SEP] for BERT, <|endoftext|> first for GPT-2).")
    var text = false

    func run() throws {
        let backbone = try Backbone.fromPreset(preset)
        if text {
            try encodeTexts(backbone)
            return
        }
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
            Terminal.output(Self.line(output, row: 0, length: ids.count))
        }
    }

    /// Texts through the preset's preprocessor, one sequence per line.
    func encodeTexts(_ backbone: Backbone) throws {
        let texts = try JSONLinesInput(path: input).texts()
        for text in texts {
            let batch: TokenBatch
            if backbone is GPT2Backbone {
                batch = try TokenBatch(tokenIds: GPT2CausalLMPreprocessor.fromPreset(preset).prompts([text]))
            } else {
                batch = try BertTextClassifierPreprocessor.fromPreset(preset)([text])
            }
            Terminal.output(Self.line(try backbone(batch), row: 0, length: batch.sequenceLength))
        }
    }

    /// `{"sequence_output": [...], "pooled_output": [...]?}` for the first `length` positions of `row`.
    static func line(_ output: BackboneOutput, row: Int, length: Int) -> String {
        let sequenceLength = output.sequenceOutput.shape[1], hidden = output.sequenceOutput.shape[2]
        let rows = (0..<length).map { position in
            let start = (row * sequenceLength + position) * hidden
            return JSONOutput.floats(output.sequenceOutput.scalars[start..<(start + hidden)])
        }
        var text = "{\"sequence_output\":[" + rows.joined(separator: ",") + "]"
        if let pooled = output.pooledOutput {
            text += ",\"pooled_output\":" + JSONOutput.floats(pooled.scalars[(row * hidden)..<((row + 1) * hidden)])
        }
        return text + "}"
    }
}
