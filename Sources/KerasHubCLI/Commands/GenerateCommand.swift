import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub generate`: text generation with a causal LM.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with GPT-2: prints {\"token_ids\": [...], \"text\": \"...\"} (prompt and continuation).",
        discussion: """
            The prompt is --prompt or --prompt-ids; without either, prompts come from --input, one per line: a \
            JSON string, {"prompt": "..."} (or "text"), or {"prompt_ids": [...]}, and each gives one output line. \
            With a single prompt on a terminal the new text streams to stderr as it is generated.
            """)

    enum SamplerName: String, ExpressibleByArgument, CaseIterable {
        case greedy, topK = "top-k", topP = "top-p", random, beam
    }

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String

    @Option(help: "The prompt text (tokenized by the preset's preprocessor, which starts it with <|endoftext|>).")
    var prompt: String?

    @Option(help: "The prompt as comma-separated token ids, used as given.")
    var promptIds: String?

    @Option(help: "JSON Lines prompts ('-' for stdin); read when neither --prompt nor --prompt-ids is given.")
    var input: String = "-"

    @OptionGroup var lineLimit: LineLimitOptions

    @OptionGroup var records: RecordOptions

    @Option(help: "How many tokens to generate at most.")
    var maxNewTokens: Int

    @Option(help: "greedy, top-k, top-p, random or beam.")
    var sampler: SamplerName = .greedy

    @Option(help: "Sampling temperature.")
    var temperature: Float = 1

    @Option(help: "k for top-k.")
    var topK: Int = 5

    @Option(help: "p for top-p.")
    var topP: Float = 0.1

    @Option(help: "Beams for beam search.")
    var numBeams: Int = 5

    @Option(help: "Random seed (sampling is reproducible for a given seed).")
    var seed: UInt64 = 0

    func validate() throws {
        guard prompt == nil || promptIds == nil else { throw ValidationError("give at most one of --prompt and --prompt-ids") }
        guard (1...CountLimits.positions).contains(maxNewTokens) else {
            throw ValidationError("--max-new-tokens must be between 1 and \(CountLimits.positions), not \(maxNewTokens)")
        }
        guard (1...BeamSampler.maximumNumBeams).contains(numBeams) else {
            throw ValidationError("--num-beams must be between 1 and \(BeamSampler.maximumNumBeams), not \(numBeams)")
        }
        if let promptIds {
            guard !promptIds.isEmpty, promptIds.split(separator: ",").allSatisfy({ Int32($0.trimmingCharacters(in: .whitespaces)) != nil }) else {
                throw ValidationError("--prompt-ids must be comma-separated integers, like 1,2,3")
            }
        }
    }

    func makeSampler() throws -> any Sampler {
        do {
            switch sampler {
            case .greedy: return try GreedySampler(temperature: temperature)
            case .topK: return try TopKSampler(k: topK, temperature: temperature)
            case .topP: return try TopPSampler(p: topP, temperature: temperature)
            case .random: return try RandomSampler(temperature: temperature)
            case .beam: return try BeamSampler(numBeams: numBeams, temperature: temperature)
            }
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    func run() throws {
        let model = try CausalLM.fromPreset(preset)
        let preprocessor = model.preprocessor
        let sampler = try makeSampler()
        if prompt == nil, promptIds == nil {
            let worker = LineWorker(
                input: JSONLinesInput(path: input, maxLineBytes: lineLimit.maxLineBytes), options: records, batchSize: 1)
            try worker.run(parse: { try Self.promptTokens($0, preprocessor: preprocessor) }) { prompts in
                try prompts.map { .success(.object(try generate(model, prompt: $0, sampler: sampler, streaming: false))) }
            }
            return
        }
        let promptTokens: [Int32]
        if let prompt {
            guard let preprocessor else { throw CommandFailure(message: "preset '\(preset)' has no tokenizer: use --prompt-ids") }
            promptTokens = preprocessor.prompts([prompt])[0]
        } else {
            promptTokens = (promptIds ?? "").split(separator: ",").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        }
        Terminal.output(try generate(model, prompt: promptTokens, sampler: sampler, streaming: Terminal.stderrIsTerminal))
    }

    /// The prompt of one input line: a string or `{"prompt"|"text": string}` through the preset's
    /// preprocessor, or `{"prompt_ids": [...]}` as given.
    static func promptTokens(_ line: JSONLinesInput.Line, preprocessor: CausalLMPreprocessor?) throws -> [Int32] {
        if let ids = line.value["prompt_ids"] {
            guard let tokens = ids.int32Array, !tokens.isEmpty else { throw line.failure("\"prompt_ids\" must be a non-empty array of integers") }
            return tokens
        }
        guard let text = line.value.stringValue ?? line.value["prompt"]?.stringValue ?? line.value["text"]?.stringValue else {
            throw line.failure("expected a JSON string, or an object with a string \"prompt\" (or \"text\") or \"prompt_ids\"")
        }
        guard let preprocessor else { throw line.failure("the preset has no tokenizer: give \"prompt_ids\"") }
        return preprocessor.prompts([text])[0]
    }

    /// `{"token_ids": [...], "text": "..."}` for the prompt and its continuation.
    func generate(_ model: CausalLM, prompt promptTokens: [Int32], sampler: any Sampler, streaming stream: Bool) throws -> String {
        let preprocessor = model.preprocessor
        var streamed: [Int32] = []
        let output = try model.generate(
            tokenIds: [promptTokens], maxLength: promptTokens.count + maxNewTokens,
            stopTokenIds: preprocessor.map { [$0.endTokenId] }, sampler: sampler, seed: seed
        ) { step in
            guard stream, let preprocessor else { return }
            let before = preprocessor.text(streamed)
            streamed += step.newTokens[0]
            let after = preprocessor.text(streamed)
            if after.hasPrefix(before) { FileHandle.standardError.write(Data(after.dropFirst(before.count).utf8)) }
        }
        if stream { FileHandle.standardError.write(Data("\n".utf8)) }
        let ids = output[0]
        var object: [String: JSONValue] = ["token_ids": .array(ids.map { JSONValue.number(Double($0)) })]
        object["text"] = preprocessor.map { .string($0.text(ids)) } ?? .null
        return JSONOutput.line(.object(object))
    }
}
