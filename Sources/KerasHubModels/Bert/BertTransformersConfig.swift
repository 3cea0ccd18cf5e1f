/// The fields of a transformers BERT `config.json` (`model_type` `bert`).
struct BertTransformersConfig: Decodable {
    var vocabSize: Int?, hiddenSize: Int?, numHiddenLayers: Int?, numAttentionHeads: Int?, intermediateSize: Int?
    var hiddenAct: String?, maxPositionEmbeddings: Int?, typeVocabSize: Int?, layerNormEps: Float?
    var positionEmbeddingType: String?

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size", hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps", positionEmbeddingType = "position_embedding_type"
    }

    /// The backbone config this checkpoint describes.
    /// - Throws: ``ConfigError`` for a missing field, an unknown activation or an unsupported variant.
    func backboneConfig(file: String) throws -> BertBackboneConfig {
        typealias Field = TransformersConfigField
        if let positionEmbeddingType, positionEmbeddingType != "absolute" {
            throw ConfigError.unsupported(file: file, reason: "position_embedding_type '\(positionEmbeddingType)' (only 'absolute')")
        }
        return BertBackboneConfig(
            vocabularySize: try Field.required(vocabSize, "vocab_size", file),
            numLayers: try Field.required(numHiddenLayers, "num_hidden_layers", file),
            numHeads: try Field.required(numAttentionHeads, "num_attention_heads", file),
            hiddenDim: try Field.required(hiddenSize, "hidden_size", file),
            intermediateDim: try Field.required(intermediateSize, "intermediate_size", file),
            maxSequenceLength: maxPositionEmbeddings ?? 512, numSegments: typeVocabSize ?? 2,
            activation: try Field.activation(hiddenAct ?? "gelu", key: "hidden_act", file: file),
            layerNormEpsilon: layerNormEps ?? 1e-12)
    }
}

extension TransformersConfig {
    /// The BERT config this checkpoint describes.
    /// - Throws: ``ConfigError`` for a missing field, an unknown activation or an unsupported variant.
    public func bertConfig(file: String) throws -> BertBackboneConfig {
        try BertFamily().decodeTransformers(BertTransformersConfig.self, from: object, file: file).backboneConfig(file: file)
    }
}
