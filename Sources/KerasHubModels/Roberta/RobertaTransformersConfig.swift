/// The fields of a transformers RoBERTa `config.json` (`model_type` `roberta` or `xlm-roberta`).
struct RobertaTransformersConfig: Decodable {
    var vocabSize: Int?, hiddenSize: Int?, numHiddenLayers: Int?, numAttentionHeads: Int?, intermediateSize: Int?
    var hiddenAct: String?, maxPositionEmbeddings: Int?, typeVocabSize: Int?, layerNormEps: Float?
    var positionEmbeddingType: String?, padTokenId: Int?

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size", hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps", positionEmbeddingType = "position_embedding_type", padTokenId = "pad_token_id"
    }

    /// The backbone config this checkpoint describes: `max_position_embeddings` less the two
    /// reserved rows, as KerasHub's converter computes it.
    /// - Throws: ``ConfigError`` for a missing field, an unknown activation or an unsupported variant.
    func backboneConfig(file: String) throws -> RobertaBackboneConfig {
        typealias Field = TransformersConfigField
        if let positionEmbeddingType, positionEmbeddingType != "absolute" {
            throw ConfigError.unsupported(file: file, reason: "position_embedding_type '\(positionEmbeddingType)' (only 'absolute')")
        }
        if let padTokenId, padTokenId != 1 {
            throw ConfigError.unsupported(file: file, reason: "pad_token_id \(padTokenId) (RoBERTa's positions assume 1)")
        }
        if let typeVocabSize, typeVocabSize > 1 {
            throw ConfigError.unsupported(file: file, reason: "type_vocab_size \(typeVocabSize) (RoBERTa has one token type)")
        }
        if let typeVocabSize, typeVocabSize < 1 {
            throw ConfigError.invalid(file: file, reason: "'type_vocab_size' must be 1 (found \(typeVocabSize)): RoBERTa looks up one token type")
        }
        let positions = try Field.required(maxPositionEmbeddings ?? 514, "max_position_embeddings", file)
        guard positions > RobertaCheckpoint.reservedPositionRows else {
            throw ConfigError.invalid(file: file, reason: "'max_position_embeddings' must exceed 2 (found \(positions))")
        }
        return RobertaBackboneConfig(
            vocabularySize: try Field.required(vocabSize, "vocab_size", file),
            numLayers: try Field.required(numHiddenLayers, "num_hidden_layers", file),
            numHeads: try Field.required(numAttentionHeads, "num_attention_heads", file),
            hiddenDim: try Field.required(hiddenSize, "hidden_size", file),
            intermediateDim: try Field.required(intermediateSize, "intermediate_size", file),
            maxSequenceLength: positions - RobertaCheckpoint.reservedPositionRows,
            activation: try Field.activation(hiddenAct ?? "gelu", key: "hidden_act", file: file),
            layerNormEpsilon: layerNormEps ?? 1e-5)
    }
}
