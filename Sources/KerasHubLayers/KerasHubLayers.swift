// Inference layers of KerasHub: dense, embeddings, layer norm, attention and transformer blocks.
// Files import the modules they use; `KerasHub` re-exports them all.
