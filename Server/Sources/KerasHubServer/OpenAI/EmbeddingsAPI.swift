import Foundation

/// The body of `POST /v1/embeddings`, as OpenAI's.
public struct EmbeddingsRequest: Decodable, Sendable {
    /// The texts (or token arrays) to embed.
    public let input: PromptInput
    /// The model name the client asked for (the server serves one model; any name is accepted).
    public let model: String?
    /// `float` (default) or `base64` (little-endian float32 bytes).
    public let encodingFormat: String?
    /// The requested vector width; only the model's own width is accepted.
    public let dimensions: Int?
    /// An end-user id (accepted and ignored).
    public let user: String?

    enum CodingKeys: String, CodingKey {
        case input, model, dimensions, user
        case encodingFormat = "encoding_format"
    }
}

/// The body answering `POST /v1/embeddings`.
public struct EmbeddingsResponse: Codable, Sendable, Equatable {
    /// Always `list`.
    public var object = "list"
    /// One entry per input, in input order.
    public let data: [Embedding]
    /// The served model's name.
    public let model: String
    /// Token counts.
    public let usage: Usage

    /// One input's vector.
    public struct Embedding: Codable, Sendable, Equatable {
        /// Always `embedding`.
        public var object = "embedding"
        /// The vector.
        public let embedding: Vector
        /// The input's position in the request.
        public let index: Int
    }

    /// A vector as floats or as base64 of its little-endian float32 bytes.
    public enum Vector: Codable, Sendable, Equatable {
        /// `[0.1, ...]`.
        case floats([Float])
        /// Base64 of the float32 bytes.
        case base64(String)

        /// Decodes either form.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .base64(text) } else { self = .floats(try container.decode([Float].self)) }
        }

        /// Encodes the array or the string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .floats(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }

        /// The floats of a vector in `base64` form.
        public static func base64(of values: [Float]) -> String {
            var bytes = [UInt8]()
            bytes.reserveCapacity(values.count * 4)
            for value in values {
                let bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
            }
            return Data(bytes).base64EncodedString()
        }
    }

    /// Token counts, as OpenAI reports them.
    public struct Usage: Codable, Sendable, Equatable {
        /// Tokens read.
        public let promptTokens: Int
        /// The same, for embeddings.
        public let totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }
}
