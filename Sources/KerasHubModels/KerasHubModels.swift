// KerasHub models: backbones, task families, one folder per model family, and the family list
// (Registry/ModelFamily.swift). Files import the modules they use; `KerasHub` re-exports them all.
