import Foundation

/// A transformers `config.json` (the fields this library reads), turned into our backbone configs.
public struct TransformersConfig: Decodable, Sendable {
    /// `bert`, `distilbert` or `gpt2`.
    public var modelType: String
    /// Architecture class names, e.g. `["BertForMaskedLM"]`.
    public var architectures: [String]?
    var vocabSize: Int?
    // BERT
    var hiddenSize: Int?, numHiddenLayers: Int?, numAttentionHeads: Int?, intermediateSize: Int?
    var hiddenAct: String?, maxPositionEmbeddings: Int?, typeVocabSize: Int?, layerNormEps: Float?
    var positionEmbeddingType: String?
    // DistilBERT
    var dim: Int?, nLayers: Int?, nHeads: Int?, hiddenDim: Int?, activation: String?, sinusoidalPosEmbds: Bool?
    // GPT-2
    var nEmbd: Int?, nLayer: Int?, nHead: Int?, nInner: Int?, activationFunction: String?, nPositions: Int?
    var layerNormEpsilon: Float?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", architectures, vocabSize = "vocab_size"
        case hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size", hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps", positionEmbeddingType = "position_embedding_type"
        case dim, nLayers = "n_layers", nHeads = "n_heads", hiddenDim = "hidden_dim", activation
        case sinusoidalPosEmbds = "sinusoidal_pos_embds"
        case nEmbd = "n_embd", nLayer = "n_layer", nHead = "n_head", nInner = "n_inner"
        case activationFunction = "activation_function", nPositions = "n_positions"
        case layerNormEpsilon = "layer_norm_epsilon"
    }

    /// Reads a `config.json`.
    /// - Throws: ``ConfigError`` naming the file when it is unreadable, not a JSON object, or has no `model_type` and none can be
    ///   inferred from its keys (``inferredModelType(keys:)``).
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data, file: url.path)
    }

    /// Reads a `config.json` from its bytes; `file` names it in errors.
    /// - Throws: ``ConfigError`` when the bytes are not a JSON object with a `model_type`.
    public init(data: Data, file: String) throws {
        do {
            self = try JSONDecoder().decode(TransformersConfig.self, from: Self.addingInferredModelType(to: data))
        } catch {
            throw ConfigError.invalid(file: file, reason: ConfigError.describe(error))
        }
    }

    /// The `model_type` of a config that does not state one, told by its keys, as the oldest
    /// published checkpoints are written (e.g. `google/bert_uncased_L-2_H-128_A-2`, whose config has
    /// no `model_type`; transformers guesses it from the repository name): `n_embd` and `n_layer`
    /// mean `gpt2`, `dim` and `n_layers` mean `distilbert`, `hidden_size` and `num_hidden_layers`
    /// mean `bert`. `nil` when the keys fit none of them.
    public static func inferredModelType(keys: Set<String>) -> String? {
        if keys.contains("n_embd") && keys.contains("n_layer") { return "gpt2" }
        if keys.contains("dim") && keys.contains("n_layers") { return "distilbert" }
        if keys.contains("hidden_size") && keys.contains("num_hidden_layers") { return "bert" }
        return nil
    }

    /// `data` with `model_type` added when it has none and ``inferredModelType(keys:)`` tells it.
    static func addingInferredModelType(to data: Data) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], object["model_type"] == nil,
              let modelType = inferredModelType(keys: Set(object.keys)) else { return data }
        object["model_type"] = modelType
        return (try? JSONSerialization.data(withJSONObject: object)) ?? data
    }

    /// The BERT config this checkpoint describes.
    /// - Throws: ``ConfigError`` for a missing field, an unknown activation or an unsupported variant.
    public func bertConfig(file: String) throws -> BertBackboneConfig {
        if let positionEmbeddingType, positionEmbeddingType != "absolute" {
            throw ConfigError.unsupported(file: file, reason: "position_embedding_type '\(positionEmbeddingType)' (only 'absolute')")
        }
        return BertBackboneConfig(
            vocabularySize: try required(vocabSize, "vocab_size", file), numLayers: try required(numHiddenLayers, "num_hidden_layers", file),
            numHeads: try required(numAttentionHeads, "num_attention_heads", file), hiddenDim: try required(hiddenSize, "hidden_size", file),
            intermediateDim: try required(intermediateSize, "intermediate_size", file),
            maxSequenceLength: maxPositionEmbeddings ?? 512, numSegments: typeVocabSize ?? 2,
            activation: try Self.activation(hiddenAct ?? "gelu", key: "hidden_act", file: file),
            layerNormEpsilon: layerNormEps ?? 1e-12)
    }

    /// The DistilBERT config this checkpoint describes.
    /// - Throws: ``ConfigError`` for a missing field, an unknown activation or sinusoidal positions.
    public func distilBertConfig(file: String) throws -> DistilBertBackboneConfig {
        if sinusoidalPosEmbds == true {
            throw ConfigError.unsupported(file: file, reason: "sinusoidal_pos_embds true (only learned positions)")
        }
        return DistilBertBackboneConfig(
            vocabularySize: try required(vocabSize, "vocab_size", file), numLayers: try required(nLayers, "n_layers", file),
            numHeads: try required(nHeads, "n_heads", file), hiddenDim: try required(dim, "dim", file),
            intermediateDim: try required(hiddenDim, "hidden_dim", file), maxSequenceLength: maxPositionEmbeddings ?? 512,
            activation: try Self.activation(activation ?? "gelu", key: "activation", file: file))
    }

    /// The GPT-2 config this checkpoint describes (`n_inner` null means `4 * n_embd`).
    /// - Throws: ``ConfigError`` for a missing field or an unknown activation.
    public func gpt2Config(file: String) throws -> GPT2BackboneConfig {
        let hidden = try required(nEmbd, "n_embd", file)
        return GPT2BackboneConfig(
            vocabularySize: try required(vocabSize, "vocab_size", file), numLayers: try required(nLayer, "n_layer", file),
            numHeads: try required(nHead, "n_head", file), hiddenDim: hidden, intermediateDim: nInner ?? 4 * hidden,
            maxSequenceLength: nPositions ?? 1024,
            activation: try Self.activation(activationFunction ?? "gelu_new", key: "activation_function", file: file),
            layerNormEpsilon: layerNormEpsilon ?? 1e-5)
    }

    private func required(_ value: Int?, _ key: String, _ file: String) throws -> Int {
        guard let value else { throw ConfigError.missingKey(file: file, key: key) }
        guard value >= 0 else { throw ConfigError.invalid(file: file, reason: "'\(key)' is negative (\(value))") }
        return value
    }

    private static func activation(_ name: String, key: String, file: String) throws -> Activation {
        guard let activation = Activation(configName: name) else {
            throw ConfigError.unsupported(file: file, reason: "\(key) '\(name)'")
        }
        return activation
    }
}

/// Errors in a model's configuration file.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON of the expected form.
    case invalid(file: String, reason: String)
    /// A required key is absent.
    case missingKey(file: String, key: String)
    /// The config asks for something this library does not implement.
    case unsupported(file: String, reason: String)

    /// A message naming the file and what is wrong.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .invalid(let file, let reason): return "\(file): invalid config: \(reason)"
        case .missingKey(let file, let key): return "\(file): missing key '\(key)'"
        case .unsupported(let file, let reason): return "\(file): unsupported \(reason)"
        }
    }

    /// A short description of a decoding error: which key, what was wrong.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context): return "wrong type at '\(path(context))': \(context.debugDescription)"
        case .valueNotFound(_, let context): return "null at '\(path(context))'"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
