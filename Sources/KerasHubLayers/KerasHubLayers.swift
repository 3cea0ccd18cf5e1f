/// Inference layers of KerasHub: dense, embeddings, layer norm, attention and transformer blocks.
@_exported import KerasHubTensor
