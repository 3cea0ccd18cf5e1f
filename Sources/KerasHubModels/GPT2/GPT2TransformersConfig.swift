/// The fields of a transformers GPT-2 `config.json` (`model_type` `gpt2`).
struct GPT2TransformersConfig: Decodable {
    var vocabSize: Int?, nEmbd: Int?, nLayer: Int?, nHead: Int?, nInner: Int?, activationFunction: String?, nPositions: Int?
    var layerNormEpsilon: Float?

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", nEmbd = "n_embd", nLayer = "n_layer", nHead = "n_head", nInner = "n_inner"
        case activationFunction = "activation_function", nPositions = "n_positions", layerNormEpsilon = "layer_norm_epsilon"
    }

    /// The backbone config this checkpoint describes (`n_inner` null means `4 * n_embd`).
    /// - Throws: ``ConfigError`` for a missing field or an unknown activation.
    func backboneConfig(file: String) throws -> GPT2BackboneConfig {
        typealias Field = TransformersConfigField
        let hidden = try Field.required(nEmbd, "n_embd", file)
        let (defaultInner, overflow) = hidden.multipliedReportingOverflow(by: 4)
        guard nInner != nil || !overflow else {
            throw ConfigError.invalid(file: file, reason: "'n_embd' is \(hidden): 4 x n_embd (n_inner null) does not fit")
        }
        return GPT2BackboneConfig(
            vocabularySize: try Field.required(vocabSize, "vocab_size", file), numLayers: try Field.required(nLayer, "n_layer", file),
            numHeads: try Field.required(nHead, "n_head", file), hiddenDim: hidden, intermediateDim: nInner ?? defaultInner,
            maxSequenceLength: nPositions ?? 1024,
            activation: try Field.activation(activationFunction ?? "gelu_new", key: "activation_function", file: file),
            layerNormEpsilon: layerNormEpsilon ?? 1e-5)
    }
}

extension TransformersConfig {
    /// The GPT-2 config this checkpoint describes (`n_inner` null means `4 * n_embd`).
    /// - Throws: ``ConfigError`` for a missing field or an unknown activation.
    public func gpt2Config(file: String) throws -> GPT2BackboneConfig {
        try GPT2Family().decodeTransformers(GPT2TransformersConfig.self, from: object, file: file).backboneConfig(file: file)
    }
}
