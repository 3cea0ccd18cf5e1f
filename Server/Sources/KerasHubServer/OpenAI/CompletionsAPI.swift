import Foundation

/// The body of `POST /v1/completions`, as OpenAI's (legacy) completions API.
public struct CompletionsRequest: Decodable, Sendable {
    /// The prompt: a string, strings, token ids or arrays of token ids; one choice per prompt.
    public let prompt: PromptInput
    /// The model name the client asked for (any name is accepted: the server serves one model).
    public let model: String?
    /// Tokens to generate at most (default 16).
    public let maxTokens: Int?
    /// Sampling temperature in `0...2` (default 1); 0 is greedy decoding.
    public let temperature: Double?
    /// Nucleus sampling mass in `(0, 1]` (default 1: no cut).
    public let topP: Double?
    /// Choices per prompt; only 1.
    public let n: Int?
    /// Seed of the random samplers (the same seed and request give the same text).
    public let seed: Int64?
    /// Stream the text as server-sent events.
    public let stream: Bool?
    /// Options of a stream (`include_usage`).
    public let streamOptions: StreamOptions?
    /// Whether the text starts with the prompt.
    public let echo: Bool?
    /// Stop sequences (not supported: refused when given).
    public let stop: PromptStop?
    /// Log probabilities (not supported: refused unless null or 0).
    public let logprobs: Int?
    /// Suffix for insertion (not supported: refused when given).
    public let suffix: String?
    /// Presence penalty (only 0).
    public let presencePenalty: Double?
    /// Frequency penalty (only 0).
    public let frequencyPenalty: Double?
    /// Candidates per choice (only 1).
    public let bestOf: Int?
    /// An end-user id (accepted and ignored).
    public let user: String?

    /// `stream_options`.
    public struct StreamOptions: Decodable, Sendable {
        /// Whether a last chunk carries the token counts.
        public let includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    /// `stop`: a string or strings.
    public enum PromptStop: Decodable, Sendable {
        /// The stop sequences.
        case sequences([String])
        /// Decodes a string or an array of strings.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) { self = .sequences([one]) } else { self = .sequences(try container.decode([String].self)) }
        }
    }

    enum CodingKeys: String, CodingKey {
        case prompt, model, temperature, n, seed, stream, echo, stop, logprobs, suffix, user
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case streamOptions = "stream_options"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case bestOf = "best_of"
    }
}

/// The body answering `POST /v1/completions`, and (with partial text) each streamed chunk.
public struct CompletionsResponse: Codable, Sendable, Equatable {
    /// `cmpl-` and a random hex id, the same in every chunk of a stream.
    public let id: String
    /// Always `text_completion`.
    public var object = "text_completion"
    /// Unix time of the request.
    public let created: Int
    /// The served model's name.
    public let model: String
    /// One choice per prompt (in a stream: the choices this chunk extends).
    public let choices: [Choice]
    /// Token counts (in a stream: only on the usage chunk).
    public let usage: Usage?

    /// One prompt's continuation.
    public struct Choice: Codable, Sendable, Equatable {
        /// The generated text (in a stream: this chunk's part of it).
        public let text: String
        /// The prompt's position in the request.
        public let index: Int
        /// Always null (log probabilities are not computed).
        public let logprobs: String?
        /// `stop` (the model's end token), `length` (`max_tokens`), or null in a stream until the end.
        public let finishReason: String?

        enum CodingKeys: String, CodingKey {
            case text, index, logprobs
            case finishReason = "finish_reason"
        }

        /// Encodes `logprobs` and `finish_reason` as `null` when absent, as OpenAI does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(index, forKey: .index)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// Token counts.
    public struct Usage: Codable, Sendable, Equatable {
        /// Prompt tokens.
        public let promptTokens: Int
        /// Generated tokens.
        public let completionTokens: Int
        /// Their sum.
        public let totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }

        /// Creates counts.
        public init(promptTokens: Int, completionTokens: Int, totalTokens: Int) {
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
            self.totalTokens = totalTokens
        }

        /// The counts of a request's choices, summed.
        public init(_ choices: [CompletedChoice]) {
            let prompt = choices.reduce(0) { $0 + $1.promptTokens }, completion = choices.reduce(0) { $0 + $1.completionTokens }
            self.init(promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion)
        }
    }

    enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }
}
