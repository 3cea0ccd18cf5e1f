import Foundation
import KerasHub

/// One input of an embeddings request, as queued: a text (tokenized in the batch) or token ids.
public enum EmbeddingInput: Sendable, Equatable {
    /// Raw text.
    case text(String)
    /// Token ids of the model's tokenizer, without special tokens.
    case tokens([Int32])
}

/// One input's sentence vector and the tokens it read.
public struct EmbeddedInput: Sendable, Equatable {
    /// The vector.
    public let vector: [Float]
    /// The tokens read (before special tokens and truncation).
    public let tokenCount: Int
}

/// `POST /v1/embeddings` over a ``TextEmbedder``: validates a request, queues its inputs on the
/// dynamic batcher, and answers in OpenAI's shape.
public struct EmbeddingEndpoint: Sendable {
    /// The most inputs one request may carry (OpenAI's limit).
    public static let maximumInputs = 2048

    /// The embedder.
    public let embedder: TextEmbedder
    /// The batcher the inputs go through.
    public let queue: BatchQueue<EmbeddingInput, EmbeddedInput>
    /// The model name in responses.
    public let modelName: String

    /// Creates the endpoint and its queue (started by the application).
    public init(embedder: TextEmbedder, modelName: String, policy: BatchingPolicy) {
        self.embedder = embedder
        self.modelName = modelName
        self.queue = BatchQueue(name: "keras-hub-embeddings", policy: policy, handler: Self.handler(embedder, batchSize: policy.maxBatchSize))
    }

    /// Creates the endpoint over a queue of the caller's (tests inject a handler of their own).
    public init(embedder: TextEmbedder, modelName: String, queue: BatchQueue<EmbeddingInput, EmbeddedInput>) {
        self.embedder = embedder
        self.modelName = modelName
        self.queue = queue
    }

    /// The batch handler: tokenizes the texts of a batch in one call and runs one forward pass per
    /// `batchSize` inputs (grouped by length); when a batch fails, each input is rerun alone so only
    /// the bad one fails.
    public static func handler(_ embedder: TextEmbedder, batchSize: Int) -> BatchQueue<EmbeddingInput, EmbeddedInput>.Handler {
        { items in
            guard let tokenizer = embedder.preprocessor?.tokenizer else {
                return items.map { _ in .failure(ServedModelError.noTokenizer(preset: "served model")) }
            }
            let texts = items.compactMap { if case .text(let text) = $0 { return text } else { return nil } }
            var tokenized = tokenizer.tokenize(texts).makeIterator()
            let ids: [[Int32]] = items.map {
                switch $0 {
                case .text: return tokenized.next() ?? []
                case .tokens(let tokens): return tokens
                }
            }
            do {
                let vectors = try embedder.embed(tokenIds: ids, batchSize: batchSize)
                return zip(vectors, ids).map { .success(EmbeddedInput(vector: $0, tokenCount: $1.count)) }
            } catch {
                guard ids.count > 1 else { return [.failure(error)] }
                return ids.map { one in
                    Result { EmbeddedInput(vector: try embedder.embed(tokenIds: [one], batchSize: 1)[0], tokenCount: one.count) }
                }
            }
        }
    }

    /// Answers one request.
    /// - Throws: ``OpenAIError``: 400 for a bad request, 503 when the queue is full, 500 when the model fails.
    public func respond(to request: EmbeddingsRequest) async throws -> EmbeddingsResponse {
        let base64: Bool
        switch request.encodingFormat {
        case nil, "float": base64 = false
        case "base64": base64 = true
        case let other?: throw OpenAIError.invalid("encoding_format must be 'float' or 'base64', not '\(other)'", param: "encoding_format")
        }
        let width = embedder.backbone.hiddenDim
        if let dimensions = request.dimensions, dimensions != width {
            throw OpenAIError.invalid("this model's embeddings have \(width) dimensions and cannot be shortened to \(dimensions)", param: "dimensions")
        }
        let inputs = try Self.inputs(request.input, vocabularySize: embedder.backbone.vocabularySize)
        let results: [Result<EmbeddedInput, any Error>]
        do {
            results = try await queue.submit(inputs)
        } catch {
            throw OpenAIError.refused(error)
        }
        var data: [EmbeddingsResponse.Embedding] = []
        var tokens = 0
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let embedded):
                tokens += embedded.tokenCount
                let vector: EmbeddingsResponse.Vector = base64
                    ? .base64(EmbeddingsResponse.Vector.base64(of: embedded.vector)) : .floats(embedded.vector)
                data.append(.init(embedding: vector, index: index))
            case .failure(let error):
                throw OpenAIError.internalError(error)
            }
        }
        return EmbeddingsResponse(data: data, model: modelName, usage: .init(promptTokens: tokens, totalTokens: tokens))
    }

    /// The queued inputs of a request's `input`.
    /// - Throws: ``OpenAIError`` (400) for no inputs, too many, an empty one, or an id outside the vocabulary.
    static func inputs(_ input: PromptInput, vocabularySize: Int) throws -> [EmbeddingInput] {
        guard input.count > 0 else { throw OpenAIError.invalid("'input' is empty; give a string or a non-empty array", param: "input") }
        guard input.count <= maximumInputs else {
            throw OpenAIError.invalid("'input' has \(input.count) items; at most \(maximumInputs) are allowed per request", param: "input")
        }
        switch input {
        case .texts(let texts):
            for (index, text) in texts.enumerated() where text.isEmpty {
                throw OpenAIError.invalid("'input[\(index)]' is an empty string", param: "input")
            }
            return texts.map { .text($0) }
        case .tokens(let arrays):
            return try arrays.enumerated().map { index, ids in
                .tokens(try TokenIds.checked(ids, vocabularySize: vocabularySize, field: arrays.count == 1 ? "input" : "input[\(index)]", param: "input"))
            }
        }
    }
}

/// Token-id validation shared by the endpoints.
enum TokenIds {
    /// `ids` as `Int32`, each inside the vocabulary.
    /// - Throws: ``OpenAIError`` (400) naming `field` (`input[2]`) and the position, with `param` (`input`).
    static func checked(_ ids: [Int], vocabularySize: Int, field: String, param: String) throws -> [Int32] {
        guard !ids.isEmpty else { throw OpenAIError.invalid("'\(field)' is an empty token array", param: param) }
        return try ids.enumerated().map { position, id in
            guard id >= 0, id < vocabularySize else {
                throw OpenAIError.invalid(
                    "'\(field)[\(position)]' is token id \(id), outside this model's vocabulary 0..<\(vocabularySize)", param: param)
            }
            return Int32(id)
        }
    }
}
