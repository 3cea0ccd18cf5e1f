/// OpenAI's text-or-tokens input, as `input` of `/v1/embeddings` and `prompt` of `/v1/completions`
/// take it: a string, an array of strings, an array of token ids, or an array of such arrays.
public enum PromptInput: Decodable, Sendable, Equatable {
    /// One text, or several.
    case texts([String])
    /// Token ids of the model's tokenizer (without special tokens), one array per input.
    case tokens([[Int]])

    /// The number of inputs.
    public var count: Int {
        switch self {
        case .texts(let texts): return texts.count
        case .tokens(let tokens): return tokens.count
        }
    }

    /// Decodes any of the four forms.
    /// - Throws: `DecodingError.dataCorrupted` naming the forms for anything else.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .texts([text])
        } else if let texts = try? container.decode([String].self) {
            self = .texts(texts)
        } else if let ids = try? container.decode([Int].self) {
            self = .tokens([ids])
        } else if let ids = try? container.decode([[Int]].self) {
            self = .tokens(ids)
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "expected a string, an array of strings, an array of token ids or an array of token-id arrays"))
        }
    }
}
