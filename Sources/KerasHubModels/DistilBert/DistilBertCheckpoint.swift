import KerasHubLayers
import KerasHubTensor

/// The mapping between transformers' DistilBERT checkpoints (`DistilBertModel`, `DistilBertFor*`)
/// and our names.
public enum DistilBertCheckpoint {
    /// Our names read from a transformers DistilBERT checkpoint, with or without the `distilbert.`
    /// prefix. Linear weights are transposed to `[in, out]`; the masked-LM and classifier heads
    /// (`vocab_*`, `pre_classifier`, `classifier`) and the `position_ids` buffer are ignored.
    /// - Throws: ``WeightError`` naming a missing or unexpected tensor.
    public static func transformersMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        let prefix = store.shape(of: "distilbert.embeddings.word_embeddings.weight") != nil ? "distilbert." : ""
        let names = TransformersNames(store: store, prefix: prefix)
        let numLayers = TransformersNames.countLayers(in: store, prefix: prefix + "transformer.layer.")
        var entries: [String: MappedTensorStore.Entry] = [:]
        entries["token_embedding.embeddings"] = names.entry("embeddings.word_embeddings.weight")
        entries["position_embedding.embeddings"] = names.entry("embeddings.position_embeddings.weight")
        names.layerNorm("embeddings.LayerNorm", as: "embeddings_layer_norm", into: &entries)
        for index in 0..<numLayers {
            let source = "transformer.layer.\(index)."
            let target = "transformer_layer_\(index)."
            for (theirs, ours) in [("attention.q_lin", "self_attention.query"),
                                   ("attention.k_lin", "self_attention.key"),
                                   ("attention.v_lin", "self_attention.value"),
                                   ("attention.out_lin", "self_attention.attention_output"),
                                   ("ffn.lin1", "feedforward_intermediate_dense"),
                                   ("ffn.lin2", "feedforward_output_dense")] {
                names.linear(source + theirs, as: target + ours, into: &entries)
            }
            names.layerNorm(source + "sa_layer_norm", as: target + "self_attention_layer_norm", into: &entries)
            names.layerNorm(source + "output_layer_norm", as: target + "feedforward_layer_norm", into: &entries)
        }
        let heads = ["vocab_transform.", "vocab_layer_norm.", "vocab_projector.", "pre_classifier.", "classifier.", "qa_outputs."]
        return try MappedTensorStore(base: store, entries: entries, origin: origin) { name in
            name.hasSuffix("position_ids") || heads.contains { name.hasPrefix($0) }
        }
    }
}
