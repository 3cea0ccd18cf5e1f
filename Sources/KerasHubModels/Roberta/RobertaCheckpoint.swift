import KerasHubLayers
import KerasHubTensor

/// The mapping between transformers' RoBERTa checkpoints (`RobertaModel`, `RobertaFor*`, and the
/// same names in `XLMRoberta*`) and our names.
public enum RobertaCheckpoint {
    /// transformers reserves position rows `0...padding_idx` (padding_idx is 1): its position ids
    /// start at 2.
    public static let reservedPositionRows = 2

    /// Our names read from a transformers RoBERTa checkpoint, with or without the `roberta.`
    /// prefix, as KerasHub's converter reads it: linear weights transposed to `[in, out]`, the
    /// position table without its reserved rows and with `token_type_embeddings[0]` added (RoBERTa
    /// has one token type, so every token carries it). The pooler (which KerasHub's backbone does
    /// not have), the task heads (`lm_head.`, `classifier.`) and the `position_ids` buffer are ignored.
    /// - Throws: ``WeightError`` naming a missing or unexpected tensor.
    public static func transformersMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        let prefix = store.shape(of: "roberta.embeddings.word_embeddings.weight") != nil ? "roberta." : ""
        let numLayers = TransformersNames.countLayers(in: store, prefix: prefix + "encoder.layer.")
        var entries: [String: MappedTensorStore.Entry] = [:]
        let names = TransformersNames(store: store, prefix: prefix)
        entries["token_embedding.embeddings"] = names.entry("embeddings.word_embeddings.weight")
        entries["position_embedding.embeddings"] = MappedTensorStore.Entry(
            source: prefix + "embeddings.position_embeddings.weight", transform: .dropLeadingRows(reservedPositionRows),
            addedRow: names.has("embeddings.token_type_embeddings.weight")
                ? MappedTensorStore.AddedRow(source: prefix + "embeddings.token_type_embeddings.weight", row: 0) : nil)
        names.layerNorm("embeddings.LayerNorm", as: "embeddings_layer_norm", into: &entries)
        for index in 0..<numLayers {
            let source = "encoder.layer.\(index)."
            let target = "transformer_layer_\(index)."
            for (theirs, ours) in [("attention.self.query", "self_attention.query"),
                                   ("attention.self.key", "self_attention.key"),
                                   ("attention.self.value", "self_attention.value"),
                                   ("attention.output.dense", "self_attention.attention_output"),
                                   ("intermediate.dense", "feedforward_intermediate_dense"),
                                   ("output.dense", "feedforward_output_dense")] {
                names.linear(source + theirs, as: target + ours, into: &entries)
            }
            names.layerNorm(source + "attention.output.LayerNorm", as: target + "self_attention_layer_norm", into: &entries)
            names.layerNorm(source + "output.LayerNorm", as: target + "feedforward_layer_norm", into: &entries)
        }
        let ignored = [prefix + "pooler.", "lm_head.", "classifier."]
        return try MappedTensorStore(base: store, entries: entries, origin: origin) { name in
            name.hasSuffix("position_ids") || ignored.contains { name.hasPrefix($0) }
        }
    }
}
