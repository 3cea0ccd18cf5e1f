import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub tokenize`: token ids (or pieces) per text, optionally with the model's special tokens
/// and packed to a length as its preprocessor packs.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize text: one JSON array of token ids per input (no special tokens unless asked).",
        discussion: """
            Texts come from the arguments, or else from --input: one JSON string, an object with "text", or an \
            array of two strings (a pair of segments) per line. --tokens gives string pieces instead of ids. \
            --special-tokens adds the model's start/end (and separator) tokens as its preprocessor does; \
            --sequence-length N packs and pads to N: {"token_ids": [...], "padding_mask": [...], "segment_ids": [...]}.
            """)

    @Option(help: "A preset: built-in name, directory, hf://org/name[@revision] or kaggle://….")
    var preset: String

    @Option(help: "JSON Lines input file ('-' for stdin); read when no TEXT is given.")
    var input: String = "-"

    @OptionGroup var lineLimit: LineLimitOptions

    @OptionGroup var records: RecordOptions

    @Flag(help: "Output the string pieces instead of ids.")
    var tokens = false

    @Flag(help: "Add the model's special tokens as its preprocessor does ([CLS] a [SEP], <s> a </s>, <|endoftext|> a).")
    var specialTokens = false

    @Option(help: "Pack (with special tokens) and pad to this length (1...1048576); output objects.")
    var sequenceLength: Int?

    @Argument(help: "Texts to tokenize.")
    var texts: [String] = []

    func validate() throws {
        if let sequenceLength, !(1...(1 << 20)).contains(sequenceLength) {
            throw ValidationError("--sequence-length must be between 1 and \(1 << 20), not \(sequenceLength)")
        }
        if tokens, sequenceLength != nil { throw ValidationError("--tokens gives pieces; it cannot be combined with --sequence-length") }
    }

    func run() throws {
        let tokenizer = try Tokenizer.fromPreset(preset)
        let packer = specialTokens || sequenceLength != nil ? try SegmentPacker(preset: preset, tokenizer: tokenizer) : nil
        let tokenize: ([[String]]) throws -> [LineOutcome] = { inputs in
            guard let packer else {
                return inputs.map { segments in
                    segments.count == 1 ? .success(render(tokenizer.tokenize(segments[0]), tokenizer))
                        : .failure("pairs of segments need --special-tokens or --sequence-length (they are packed together)")
                }
            }
            return try inputs.map { segments in
                let packed = try packer.pack(segments, sequenceLength: sequenceLength)
                guard sequenceLength != nil else { return .success(render(packed.tokenIds, tokenizer)) }
                var object: [String: JSONValue] = [
                    "token_ids": .array(packed.tokenIds.map { .number(Double($0)) }),
                    "padding_mask": .array(packed.paddingMask.map { .bool($0) }),
                ]
                if let segmentIds = packed.segmentIds { object["segment_ids"] = .array(segmentIds.map { .number(Double($0)) }) }
                return .success(.object(JSONOutput.line(.object(object))))
            }
        }
        if !texts.isEmpty {
            var output = OutputBuffer()
            for outcome in try tokenize(texts.map { [$0] }) {
                guard case .success(let rendered) = outcome else { continue }
                output.append(LineWorker.line(rendered, id: nil, idField: nil))
            }
            try output.flush()
            return
        }
        let worker = LineWorker(
            input: JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes), options: records, batchSize: 256)
        try worker.run(parse: { try $0.segments() }, run: tokenize)
    }

    private func render(_ ids: [Int32], _ tokenizer: Tokenizer) -> RenderedOutput {
        if tokens { return .value(JSONOutput.line(.array(ids.map { .string(tokenizer.idToToken($0) ?? "") })), name: "tokens") }
        return .value("[" + ids.map(String.init).joined(separator: ",") + "]", name: "token_ids")
    }
}

/// Adds a model's special tokens to segments and packs them, as the model's preprocessor does:
/// an encoder's `[CLS] a [SEP] b [SEP]` (its packer), a decoder's start token before the text.
struct SegmentPacker {
    /// One packed input.
    struct Packed {
        var tokenIds: [Int32]
        var paddingMask: [Bool]
        var segmentIds: [Int32]?
    }

    private let text: TextClassifierPreprocessor?
    private let causal: CausalLMPreprocessor?
    private let tokenizer: Tokenizer

    init(preset: String, tokenizer: Tokenizer) throws {
        self.tokenizer = tokenizer
        if let text = try? TextClassifierPreprocessor.fromPreset(preset) {
            self.text = text
            self.causal = nil
        } else {
            self.text = nil
            self.causal = try CausalLMPreprocessor.fromPreset(preset)
        }
    }

    /// The segments with special tokens, fitted to `sequenceLength` (truncated and padded) when given.
    func pack(_ segments: [String], sequenceLength: Int?) throws -> Packed {
        if let text {
            let ids = segments.map { tokenizer.tokenize($0) }
            // Without a length, pack into room for everything and keep the real tokens.
            let room = ids.reduce(0) { $0 + $1.count } + 2 + segments.count * max(1, text.specialIds.separator.count)
            let batch = try text.with(sequenceLength: sequenceLength ?? room, padToSequenceLength: sequenceLength != nil).pack([ids])
            if sequenceLength != nil {
                return Packed(tokenIds: batch.tokenIds, paddingMask: batch.paddingMask, segmentIds: batch.segmentIds)
            }
            let real = batch.paddingMask.lastIndex(of: true).map { $0 + 1 } ?? 0
            return Packed(tokenIds: Array(batch.tokenIds.prefix(real)), paddingMask: Array(repeating: true, count: real),
                          segmentIds: batch.segmentIds.map { Array($0.prefix(real)) })
        }
        guard let causal, segments.count == 1 else {
            throw CommandFailure(message: "a decoder model packs one segment per input, not \(segments.count)")
        }
        var ids = causal.prompts(segments)[0]
        guard let length = sequenceLength else { return Packed(tokenIds: ids, paddingMask: Array(repeating: true, count: ids.count)) }
        ids = Array(ids.prefix(length))
        let real = ids.count
        ids += Array(repeating: tokenizer.specialTokenIds.first ?? 0, count: length - real)
        return Packed(tokenIds: ids, paddingMask: Array(repeating: true, count: real) + Array(repeating: false, count: length - real))
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

    @OptionGroup var lineLimit: LineLimitOptions

    func run() throws {
        let tokenizer = try Tokenizer.fromPreset(preset)
        for line in try JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes).lines() {
            guard let ids = line.value.int32Array else { throw line.failure("expected a JSON array of integer token ids") }
            if let bad = ids.first(where: { $0 < 0 || Int($0) >= tokenizer.vocabularySize }) {
                throw line.failure("token id \(bad) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
            }
            Terminal.output(JSONOutput.line(.string(tokenizer.detokenize(ids))))
        }
    }
}

extension JSONLinesInput.Line {
    /// The line as a text: a JSON string, or an object with a string `text`.
    func text() throws -> String {
        if let text = value.stringValue ?? value["text"]?.stringValue { return text }
        throw failure("expected a JSON string or an object with a string \"text\"")
    }

    /// The line as one or two segments: a JSON string, an object with `text` (and optional
    /// `text_pair`), or an array of one or two strings.
    func segments() throws -> [String] {
        if let text = value.stringValue { return [text] }
        if let elements = value.arrayValue {
            let strings = elements.compactMap(\.stringValue)
            guard (1...2).contains(elements.count), strings.count == elements.count else {
                throw failure("a pair must be an array of one or two strings")
            }
            return strings
        }
        guard let text = value["text"]?.stringValue else {
            throw failure("expected a JSON string, an array of two strings, or an object with a string \"text\"")
        }
        if let pair = value["text_pair"] {
            guard let second = pair.stringValue else { throw failure("\"text_pair\" must be a string") }
            return [text, second]
        }
        return [text]
    }
}

/// `keras-hub vocabulary`: the vocabulary's size, or one lookup.
struct VocabularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocabulary",
        abstract: "The preset's vocabulary: its size, the token of --id, or the id of --token.",
        discussion: "Prints {\"vocabulary_size\": N}, {\"id\": N, \"token\": T}; an id outside the vocabulary or an unknown token exits 1.")

    @Option(help: "A preset: built-in name, directory, hf://org/name[@revision] or kaggle://….")
    var preset: String

    @Option(help: "Look up the token of this id.")
    var id: Int?

    @Option(help: "Look up the id of this token (as the vocabulary spells it, e.g. ##ing or Ġthe).")
    var token: String?

    func validate() throws {
        if id != nil, token != nil { throw ValidationError("give at most one of --id and --token") }
    }

    func run() throws {
        let tokenizer = try Tokenizer.fromPreset(preset)
        if let id {
            guard let narrow = Int32(exactly: id), let token = tokenizer.idToToken(narrow) else {
                throw CommandFailure(message: "id \(id) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
            }
            Terminal.output(JSONOutput.line(.object(["id": .number(Double(id)), "token": .string(token)])))
        } else if let token {
            guard let found = tokenizer.tokenToId(token) else {
                throw CommandFailure(message: "token \(String(reflecting: token)) is not in the vocabulary")
            }
            Terminal.output(JSONOutput.line(.object(["id": .number(Double(found)), "token": .string(token)])))
        } else {
            Terminal.output(JSONOutput.line(.object(["vocabulary_size": .number(Double(tokenizer.vocabularySize))])))
        }
    }
}
