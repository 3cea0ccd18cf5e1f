import Foundation
import Hummingbird
import ServiceLifecycle

/// What a server answers: the endpoint of its model, and the queue that endpoint runs on.
public enum ServedEndpoint: Sendable {
    /// `/v1/embeddings`.
    case embeddings(EmbeddingEndpoint)
    /// `/v1/completions`.
    case completions(CompletionEndpoint)

    /// The endpoint of a loaded model.
    public init(_ model: ServedModel, modelName: String, policy: BatchingPolicy) {
        switch model {
        case .embedder(let embedder): self = .embeddings(EmbeddingEndpoint(embedder: embedder, modelName: modelName, policy: policy))
        case .causalLM(let model): self = .completions(CompletionEndpoint(model: model, modelName: modelName, capacity: policy.capacity))
        }
    }

    /// The model's name in responses.
    public var modelName: String {
        switch self {
        case .embeddings(let endpoint): return endpoint.modelName
        case .completions(let endpoint): return endpoint.modelName
        }
    }

    /// The path served.
    public var path: String {
        switch self {
        case .embeddings: return "/v1/embeddings"
        case .completions: return "/v1/completions"
        }
    }

    /// The queue, as the service that runs (and drains) it.
    public var service: any Service {
        switch self {
        case .embeddings(let endpoint): return endpoint.queue
        case .completions(let endpoint): return endpoint.queue
        }
    }

    /// Items waiting in the queue.
    public var queueDepth: Int {
        switch self {
        case .embeddings(let endpoint): return endpoint.queue.depth
        case .completions(let endpoint): return endpoint.queue.depth
        }
    }
}

/// The routes: `POST /v1/embeddings`, `POST /v1/completions`, `GET /v1/models`, `GET /health`.
public enum ServerRoutes {
    /// A router over `endpoint`; request bodies beyond `maxBodyBytes` are answered 413.
    public static func router(_ endpoint: ServedEndpoint, maxBodyBytes: Int) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ -> Response in
            JSONBody.response(Health(status: "ok", model: endpoint.modelName, endpoint: endpoint.path, queueDepth: endpoint.queueDepth))
        }
        router.get("/v1/models") { _, _ -> Response in
            JSONBody.response(ModelList(data: [.init(id: endpoint.modelName)]))
        }
        router.post("/v1/embeddings") { request, _ -> Response in
            guard case .embeddings(let embeddings) = endpoint else {
                throw OpenAIError.notServed("model '\(endpoint.modelName)' is a causal LM: it serves /v1/completions, not /v1/embeddings")
            }
            let body = try await JSONBody.decode(EmbeddingsRequest.self, from: request, limit: maxBodyBytes)
            return JSONBody.response(try await embeddings.respond(to: body))
        }
        router.post("/v1/completions") { request, _ -> Response in
            guard case .completions(let completions) = endpoint else {
                throw OpenAIError.notServed("model '\(endpoint.modelName)' is a sentence embedder: it serves /v1/embeddings, not /v1/completions")
            }
            let body = try await JSONBody.decode(CompletionsRequest.self, from: request, limit: maxBodyBytes)
            if body.stream == true { return try completions.streamResponse(to: body) }
            return JSONBody.response(try await completions.respond(to: body))
        }
        return router
    }

    struct Health: Encodable {
        let status: String
        let model: String
        let endpoint: String
        let queueDepth: Int
        enum CodingKeys: String, CodingKey {
            case status, model, endpoint
            case queueDepth = "queue_depth"
        }
    }

    struct ModelList: Encodable {
        var object = "list"
        let data: [Model]
        struct Model: Encodable {
            let id: String
            var object = "model"
            var created = 0
            var ownedBy = "keras-hub"
            enum CodingKeys: String, CodingKey {
                case id, object, created
                case ownedBy = "owned_by"
            }
        }
    }
}
