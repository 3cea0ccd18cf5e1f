import Foundation
import HTTPTypes
import NIOCore
import Hummingbird

/// An error answered in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with its
/// HTTP status: 400 for a bad request (naming the field), 404, 413, 503 (with `Retry-After`), 500.
public struct OpenAIError: Error, HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// What was wrong, for the client.
    public let message: String
    /// OpenAI's error type: `invalid_request_error`, `server_error`, ...
    public let type: String
    /// The request field at fault, when there is one (`input`, `max_tokens`, ...).
    public let param: String?
    /// A machine-readable code (`context_length_exceeded`, `server_busy`, ...).
    public let code: String?
    /// Seconds a client should wait before retrying (sent as `Retry-After`).
    public let retryAfterSeconds: Int?

    /// Creates an error.
    public init(
        status: HTTPResponse.Status, message: String, type: String = "invalid_request_error", param: String? = nil,
        code: String? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A 400 naming the field at fault.
    public static func invalid(_ message: String, param: String? = nil, code: String? = nil) -> OpenAIError {
        OpenAIError(status: .badRequest, message: message, param: param, code: code)
    }

    /// A 404 for an endpoint the loaded model does not serve.
    public static func notServed(_ message: String) -> OpenAIError {
        OpenAIError(status: .notFound, message: message, code: "unsupported_endpoint")
    }

    /// The answer to a refused submission: 503 with `Retry-After` when busy or stopping, 400 when
    /// the request alone exceeds the queue.
    public static func refused(_ error: BatchQueueError) -> OpenAIError {
        switch error {
        case .full:
            return OpenAIError(status: .serviceUnavailable, message: error.description, type: "server_error", code: "server_busy", retryAfterSeconds: 1)
        case .closed:
            return OpenAIError(status: .serviceUnavailable, message: error.description, type: "server_error", code: "shutting_down", retryAfterSeconds: 1)
        case .tooManyItems:
            return OpenAIError(status: .badRequest, message: error.description, param: "input", code: "too_many_inputs")
        }
    }

    /// A 500 for a model failure.
    public static func internalError(_ error: any Error) -> OpenAIError {
        OpenAIError(status: .internalServerError, message: "the model failed: \(error)", type: "server_error")
    }

    /// A message saying what was wrong.
    public var description: String { "\(status.code) \(message)" }

    /// The error body.
    public var body: ErrorBody {
        ErrorBody(error: .init(message: message, type: type, param: param, code: code))
    }

    /// `{"error": {...}}` as OpenAI sends it.
    public struct ErrorBody: Codable, Sendable, Equatable {
        /// The error.
        public let error: Detail
        /// The error's fields.
        public struct Detail: Codable, Sendable, Equatable {
            /// What was wrong.
            public let message: String
            /// OpenAI's error type.
            public let type: String
            /// The field at fault.
            public let param: String?
            /// A machine-readable code.
            public let code: String?

            enum CodingKeys: String, CodingKey { case message, type, param, code }

            /// Encodes `param` and `code` as `null` when absent, as OpenAI does.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }
        }
    }

    /// The JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(body, status: status)
        if let retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        return response
    }
}

/// JSON bodies in and out.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// `value` as a JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Reads at most `limit` bytes of the request body and decodes it.
    /// - Throws: ``OpenAIError``: 413 beyond the limit, 400 for a body that is not the expected JSON.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw OpenAIError(status: .contentTooLarge, message: "the request body is larger than the server's limit of \(limit) bytes", code: "request_too_large")
        }
        guard buffer.readableBytes > 0 else { throw OpenAIError.invalid("the request body is empty; expected a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw OpenAIError.invalid(Self.describe(error), param: Self.field(error))
        } catch {
            throw OpenAIError.invalid("the request body is not valid JSON: \(error)")
        }
    }

    static func field(_ error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: return nil
        }
        guard !path.isEmpty else { return nil }
        return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing required field '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "'\(field(error) ?? "body")' has the wrong type (expected \(Self.name(type))): \(context.debugDescription)"
        case .valueNotFound(let type, _): return "'\(field(error) ?? "body")' is null (expected \(Self.name(type)))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the request body is not valid JSON" }
            return "'\(field(error) ?? "body")' is invalid: \(context.debugDescription)"
        @unknown default: return "the request body is invalid"
        }
    }

    private static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int32.Type, is UInt64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        default: return "\(type)"
        }
    }
}
