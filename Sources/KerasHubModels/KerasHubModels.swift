/// KerasHub models: backbones, tasks and model tokenizers.
@_exported import KerasHubLayers
@_exported import KerasHubTokenizers
