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

    @OptionGroup var lineLimit: LineLimitOptions

    @OptionGroup var records: RecordOptions

    @Flag(help: "Read texts and apply the preset's preprocessor ([CLS] … [SEP] for BERT, <|endoftext|> first for GPT-2).")
    var text = false

    func run() throws {
        let backbone = try Backbone.fromPreset(preset)
        let worker = LineWorker(
            input: JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes), options: records, batchSize: 8)
        let encode = try text ? textEncoder(for: backbone) : { try $0.tokenBatch() }
        try worker.run(parse: encode) { batches in
            batches.map { batch in
                do {
                    return .success(.object(Self.line(try backbone(batch), row: 0, length: batch.sequenceLength)))
                } catch {
                    return .failure(LineFailure(error).reason)
                }
            }
        }
    }

    /// A line's text through the preset's preprocessor, one sequence per line.
    /// The preprocessor is built once (an encoder family's text packer, or a decoder family's prompt
    /// preprocessor), whatever the number of lines.
    func textEncoder(for backbone: Backbone) throws -> (JSONLinesInput.Line) throws -> TokenBatch {
        let isDecoder = ModelFamilies.family(of: backbone)?.tasks.contains { $0.kind == .causalLM } ?? false
        if !isDecoder {
            let preprocessor = try TextClassifierPreprocessor.fromPreset(preset)
            return { try preprocessor([$0.text()]) }
        }
        let preprocessor = try CausalLMPreprocessor.fromPreset(preset)
        return { try TokenBatch(tokenIds: preprocessor.prompts([$0.text()])) }
    }

    /// `{"sequence_output": [...], "pooled_output": [...]?}` for the first `length` positions of `row`.
    static func line(_ output: BackboneOutput, row: Int, length: Int) -> String {
        let sequenceLength = output.sequenceOutput.shape[1], hidden = output.sequenceOutput.shape[2]
        let sequence = output.sequenceOutput.scalars
        let rows = (0..<length).map { position in
            let start = (row * sequenceLength + position) * hidden
            return JSONOutput.floats(sequence[start..<(start + hidden)])
        }
        var text = "{\"sequence_output\":[" + rows.joined(separator: ",") + "]"
        if let pooled = output.pooledOutput {
            text += ",\"pooled_output\":" + JSONOutput.floats(pooled.scalars[(row * hidden)..<((row + 1) * hidden)])
        }
        return text + "}"
    }
}
