import KerasHubLayers
import KerasHubTensor

/// The mapping between transformers' BERT checkpoints (`BertModel`, `BertFor*`) and our names.
public enum BertCheckpoint {
    /// Our names read from a transformers BERT checkpoint, with or without the `bert.` prefix.
    /// Linear weights are transposed to `[in, out]`; heads of other tasks (`cls.`, `classifier.`)
    /// and the `position_ids` buffer are ignored; anything else unknown is an error.
    /// - Throws: ``WeightError`` naming a missing or unexpected tensor.
    public static func transformersMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        let prefix = store.shape(of: "bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        let numLayers = TransformersNames.countLayers(in: store, prefix: prefix + "encoder.layer.")
        var entries: [String: MappedTensorStore.Entry] = [:]
        let names = TransformersNames(store: store, prefix: prefix)
        entries["token_embedding.embeddings"] = names.entry("embeddings.word_embeddings.weight")
        entries["position_embedding.embeddings"] = names.entry("embeddings.position_embeddings.weight")
        entries["segment_embedding.embeddings"] = names.entry("embeddings.token_type_embeddings.weight")
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
        if names.has("pooler.dense.weight") {
            names.linear("pooler.dense", as: "pooled_dense", into: &entries)
        }
        return try MappedTensorStore(base: store, entries: entries, origin: origin) { name in
            name.hasSuffix("position_ids") || name.hasPrefix("cls.") || name.hasPrefix("classifier.")
        }
    }
}
