import Foundation
import KerasHub

/// One completions request as queued: its prompts' token ids and how to continue them.
public struct CompletionJob: Sendable {
    /// One prompt per choice.
    public let prompts: [[Int32]]
    /// Tokens to generate at most per prompt.
    public let maxTokens: Int
    /// How each next token is picked.
    public let sampler: any Sampler
    /// The samplers' seed.
    public let seed: UInt64
    /// Whether each text starts with its prompt.
    public let echo: Bool
    /// Receives text as it is generated (`choice`, new text); returns false when nobody listens any more,
    /// which stops the generation. `nil` for a request that is not streamed.
    public let onText: (@Sendable (Int, String) -> Bool)?
}

/// One prompt's generated text.
public struct CompletedChoice: Sendable, Equatable {
    /// The text (prompt first with `echo`).
    public let text: String
    /// `stop` or `length`.
    public let finishReason: String
    /// Prompt tokens.
    public let promptTokens: Int
    /// Generated tokens.
    public let completionTokens: Int
}

/// `POST /v1/completions` over a ``CausalLM``: validates a request, runs it on the model's queue
/// (one request at a time: generation is not batched across requests), and answers in OpenAI's
/// shape or as server-sent events.
public struct CompletionEndpoint: Sendable {
    /// The most prompts one request may carry.
    public static let maximumPrompts = 64

    /// The model.
    public let model: CausalLM
    /// The queue requests wait in.
    public let queue: BatchQueue<CompletionJob, [CompletedChoice]>
    /// The model name in responses.
    public let modelName: String

    /// Creates the endpoint with a queue of `capacity` waiting requests.
    public init(model: CausalLM, modelName: String, capacity: Int) {
        self.model = model
        self.modelName = modelName
        self.queue = BatchQueue(
            name: "keras-hub-completions", policy: BatchingPolicy(maxBatchSize: 1, maxDelay: .zero, capacity: capacity),
            handler: { jobs in jobs.map { job in Result { try Self.run(job, model: model) } } })
    }

    /// Generates every prompt of a job in turn.
    /// - Throws: the model's ``GenerationError`` or ``SamplerError``, or ``CompletionCancelled`` when the listener left.
    static func run(_ job: CompletionJob, model: CausalLM) throws -> [CompletedChoice] {
        guard let preprocessor = model.preprocessor else { throw ServedModelError.noTokenizer(preset: "served model") }
        var choices: [CompletedChoice] = []
        for (index, prompt) in job.prompts.enumerated() {
            var continuation: [Int32] = []
            var streamed = ""
            let render = { (ids: [Int32]) in preprocessor.text(job.echo ? prompt + ids : ids) }
            // Sends what `text` adds to what was sent; while generating, text that ends inside a
            // character (a byte-level token split it) is held back until it is whole.
            func stream(_ text: String, final: Bool) throws {
                guard let onText = job.onText, final || !text.hasSuffix("\u{FFFD}"),
                      text.hasPrefix(streamed), text.count > streamed.count else { return }
                guard onText(index, String(text.dropFirst(streamed.count))) else { throw CompletionCancelled() }
                streamed = text
            }
            try stream(render([]), final: false)
            let output = try model.generate(
                tokenIds: [prompt], maxLength: prompt.count + job.maxTokens, stopTokenIds: [preprocessor.endTokenId],
                sampler: job.sampler, seed: job.seed
            ) { step in
                continuation += step.newTokens[0]
                if job.onText != nil { try stream(render(continuation), final: false) }
            }
            let generated = Array(output[0].dropFirst(prompt.count))
            let text = render(generated)
            try stream(text, final: true)
            let stopped = generated.last == preprocessor.endTokenId
            choices.append(CompletedChoice(
                text: text, finishReason: stopped ? "stop" : "length", promptTokens: prompt.count, completionTokens: generated.count))
        }
        return choices
    }

    /// The job of a request (with no listener yet).
    /// - Throws: ``OpenAIError`` (400) naming the field at fault.
    public func job(for request: CompletionsRequest, onText: (@Sendable (Int, String) -> Bool)?) throws -> CompletionJob {
        if let n = request.n, n != 1 { throw OpenAIError.invalid("n must be 1 (one choice per prompt), not \(n)", param: "n") }
        if let bestOf = request.bestOf, bestOf != 1 { throw OpenAIError.invalid("best_of must be 1, not \(bestOf)", param: "best_of") }
        if request.stop != nil { throw OpenAIError.invalid("stop sequences are not supported by this server", param: "stop") }
        if let logprobs = request.logprobs, logprobs != 0 { throw OpenAIError.invalid("logprobs are not supported by this server", param: "logprobs") }
        if request.suffix != nil { throw OpenAIError.invalid("suffix is not supported by this server", param: "suffix") }
        for (name, value) in [("presence_penalty", request.presencePenalty), ("frequency_penalty", request.frequencyPenalty)] {
            if let value, value != 0 { throw OpenAIError.invalid("\(name) is not supported by this server (only 0)", param: name) }
        }
        let maximum = model.backbone.maxSequenceLength
        let maxTokens = request.maxTokens ?? 16
        guard maxTokens >= 1, maxTokens <= maximum else {
            throw OpenAIError.invalid("max_tokens must be between 1 and \(maximum), not \(maxTokens)", param: "max_tokens")
        }
        let prompts = try prompts(request.prompt)
        for (index, prompt) in prompts.enumerated() where prompt.count + maxTokens > maximum {
            throw OpenAIError.invalid(
                "this model's maximum context length is \(maximum) tokens; prompt\(prompts.count > 1 ? " \(index)" : "") has \(prompt.count) tokens and max_tokens is \(maxTokens)",
                param: "max_tokens", code: "context_length_exceeded")
        }
        let seed = request.seed.map { UInt64(bitPattern: $0) } ?? UInt64.random(in: .min ... .max)
        return CompletionJob(
            prompts: prompts, maxTokens: maxTokens, sampler: try Self.sampler(temperature: request.temperature, topP: request.topP),
            seed: seed, echo: request.echo ?? false, onText: onText)
    }

    /// Greedy at temperature 0, nucleus sampling when `top_p < 1`, else sampling from the tempered distribution.
    /// - Throws: ``OpenAIError`` (400) for a value out of range.
    static func sampler(temperature: Double?, topP: Double?) throws -> any Sampler {
        let temperature = temperature ?? 1, topP = topP ?? 1
        guard temperature.isFinite, (0...2).contains(temperature) else {
            throw OpenAIError.invalid("temperature must be between 0 and 2, not \(temperature)", param: "temperature")
        }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw OpenAIError.invalid("top_p must be in (0, 1], not \(topP)", param: "top_p") }
        do {
            if temperature == 0 { return GreedySampler() }
            if topP < 1 { return try TopPSampler(p: Float(topP), temperature: Float(temperature)) }
            return try RandomSampler(temperature: Float(temperature))
        } catch {
            throw OpenAIError.invalid("\(error)", param: "temperature")
        }
    }

    private func prompts(_ prompt: PromptInput) throws -> [[Int32]] {
        guard prompt.count > 0 else { throw OpenAIError.invalid("'prompt' is empty", param: "prompt") }
        guard prompt.count <= Self.maximumPrompts else {
            throw OpenAIError.invalid("'prompt' has \(prompt.count) prompts; at most \(Self.maximumPrompts) are allowed per request", param: "prompt")
        }
        switch prompt {
        case .texts(let texts):
            guard let preprocessor = model.preprocessor else { throw OpenAIError.invalid("this model has no tokenizer: send token ids", param: "prompt") }
            return preprocessor.prompts(texts)
        case .tokens(let arrays):
            return try arrays.enumerated().map { index, ids in
                try TokenIds.checked(ids, vocabularySize: model.vocabularySize, field: arrays.count == 1 ? "prompt" : "prompt[\(index)]", param: "prompt")
            }
        }
    }

    /// The response to a request that is not streamed.
    /// - Throws: ``OpenAIError``: 400, 503 when the queue is full, 500 when the model fails.
    public func respond(to request: CompletionsRequest) async throws -> CompletionsResponse {
        let job = try job(for: request, onText: nil)
        let results: [Result<[CompletedChoice], any Error>]
        do {
            results = try await queue.submit([job])
        } catch {
            throw OpenAIError.refused(error)
        }
        guard let result = results.first else { throw OpenAIError.internalError(BatchHandlerError.missingResult(position: 0, count: 0)) }
        let choices: [CompletedChoice]
        do { choices = try result.get() } catch { throw OpenAIError.internalError(error) }
        return CompletionsResponse(
            id: Self.newId(), created: Int(Date().timeIntervalSince1970), model: modelName,
            choices: choices.enumerated().map { .init(text: $1.text, index: $0, logprobs: nil, finishReason: $1.finishReason) },
            usage: .init(choices))
    }

    /// `cmpl-` and 24 random hex digits.
    static func newId() -> String {
        "cmpl-" + (0..<3).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max)) }.joined()
    }
}

/// The listener of a streamed completion went away.
public struct CompletionCancelled: Error, CustomStringConvertible {
    /// A message saying what happened.
    public var description: String { "the client closed the stream" }
}
