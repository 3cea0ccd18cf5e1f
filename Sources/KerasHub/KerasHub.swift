/// KerasHub for Swift: one import for tensors, layers, tokenizers, models and presets.
///
/// ```swift
/// import KerasHub
/// let backbone = try Backbone.fromPreset("all_minilm_l6_v2_en")
/// ```
@_exported import KerasHubLayers
@_exported import KerasHubModels
@_exported import KerasHubTensor
@_exported import KerasHubTokenizers
@_exported import KerasHubPresets
