/// KerasHub presets: `fromPreset` / `saveToPreset`, the built-in registry, and the download cache.
@_exported import KerasHubModels
@_exported import KerasHubPresetData
