/// Sentence embeddings from a BERT or DistilBERT backbone, as KerasHub's `BertTextEmbedder`
/// (all-MiniLM-L6-v2 and other sentence-transformers checkpoints): see ``TextEmbedder``.
///
/// ```swift
/// let embedder = try BertTextEmbedder.fromPreset("all_minilm_l6_v2_en")
/// let vectors = try embedder.embed(["A man is eating food.", "A man is eating a piece of bread."])
/// BertTextEmbedder.similarity(vectors[0], vectors[1])   // cosine, ≈ 0.755
/// ```
public final class BertTextEmbedder: TextEmbedder, @unchecked Sendable {}
