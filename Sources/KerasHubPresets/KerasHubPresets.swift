// KerasHub presets: `fromPreset` / `saveToPreset`, the built-in registry, and the download cache.
// Files import the modules they use; `KerasHub` re-exports them all.
