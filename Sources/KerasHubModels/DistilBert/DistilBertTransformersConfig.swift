/// The fields of a transformers DistilBERT `config.json` (`model_type` `distilbert`).
struct DistilBertTransformersConfig: Decodable {
    var vocabSize: Int?, dim: Int?, nLayers: Int?, nHeads: Int?, hiddenDim: Int?, activation: String?
    var maxPositionEmbeddings: Int?, sinusoidalPosEmbds: Bool?

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", dim, nLayers = "n_layers", nHeads = "n_heads", hiddenDim = "hidden_dim", activation
        case maxPositionEmbeddings = "max_position_embeddings", sinusoidalPosEmbds = "sinusoidal_pos_embds"
    }

    /// The backbone config this checkpoint describes.
    /// - Throws: ``ConfigError`` for a missing field, an unknown activation or sinusoidal positions.
    func backboneConfig(file: String) throws -> DistilBertBackboneConfig {
        typealias Field = TransformersConfigField
        if sinusoidalPosEmbds == true {
            throw ConfigError.unsupported(file: file, reason: "sinusoidal_pos_embds true (only learned positions)")
        }
        return DistilBertBackboneConfig(
            vocabularySize: try Field.required(vocabSize, "vocab_size", file), numLayers: try Field.required(nLayers, "n_layers", file),
            numHeads: try Field.required(nHeads, "n_heads", file), hiddenDim: try Field.required(dim, "dim", file),
            intermediateDim: try Field.required(hiddenDim, "hidden_dim", file), maxSequenceLength: maxPositionEmbeddings ?? 512,
            activation: try Field.activation(activation ?? "gelu", key: "activation", file: file))
    }
}

extension TransformersConfig {
    /// The DistilBERT config this checkpoint describes.
    /// - Throws: ``ConfigError`` for a missing field, an unknown activation or sinusoidal positions.
    public func distilBertConfig(file: String) throws -> DistilBertBackboneConfig {
        try DistilBertFamily().decodeTransformers(DistilBertTransformersConfig.self, from: object, file: file).backboneConfig(file: file)
    }
}
