import KerasHubTensor

/// The mapping between transformers' GPT-2 checkpoints (`GPT2Model`, `GPT2LMHeadModel`) and our names.
public enum GPT2Checkpoint {
    /// Our names read from a transformers GPT-2 checkpoint, with or without the `transformer.`
    /// prefix. `Conv1D` weights are already `[in, out]`; the fused `c_attn` is split into query, key
    /// and value; the tied `lm_head.weight` and the causal-mask buffers (`attn.bias`,
    /// `attn.masked_bias`) of older checkpoints are ignored.
    /// - Throws: ``WeightError`` naming a missing or unexpected tensor.
    public static func transformersMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        let prefix = store.shape(of: "transformer.wte.weight") != nil ? "transformer." : ""
        let names = TransformersNames(store: store, prefix: prefix)
        let numLayers = TransformersNames.countLayers(in: store, prefix: prefix + "h.")
        var entries: [String: MappedTensorStore.Entry] = [:]
        entries["token_embedding.embeddings"] = names.entry("wte.weight")
        entries["position_embedding.embeddings"] = names.entry("wpe.weight")
        for index in 0..<numLayers {
            let source = "h.\(index)."
            let target = "transformer_layer_\(index)."
            for (part, projection) in ["query", "key", "value"].enumerated() {
                let split = TensorTransform.splitLastAxis(index: part, parts: 3)
                entries[target + "self_attention.\(projection).kernel"] = names.entry(source + "attn.c_attn.weight", split)
                entries[target + "self_attention.\(projection).bias"] = names.entry(source + "attn.c_attn.bias", split)
            }
            names.conv1D(source + "attn.c_proj", as: target + "self_attention.attention_output", into: &entries)
            names.conv1D(source + "mlp.c_fc", as: target + "feedforward_intermediate_dense", into: &entries)
            names.conv1D(source + "mlp.c_proj", as: target + "feedforward_output_dense", into: &entries)
            names.layerNorm(source + "ln_1", as: target + "self_attention_layer_norm", into: &entries)
            names.layerNorm(source + "ln_2", as: target + "feedforward_layer_norm", into: &entries)
        }
        names.layerNorm("ln_f", as: "layer_norm", into: &entries)
        return try MappedTensorStore(base: store, entries: entries, origin: origin) { name in
            name == "lm_head.weight" || name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias")
        }
    }
}
