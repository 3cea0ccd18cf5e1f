import Foundation

extension BertTextEmbedder {
    /// Loads an embedder from a preset: the backbone, its tokenizer and preprocessor, and the
    /// pooling (KerasHub's `task.json`, or sentence-transformers' `modules.json` and
    /// `1_Pooling/config.json`; mean pooling with normalisation when neither says otherwise).
    static func load(_ preset: String) throws -> BertTextEmbedder {
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: true))
        let backbone = try directory.loadBackbone()
        guard backbone is BertBackbone || backbone is DistilBertBackbone else {
            throw PresetError.wrongClass(preset: preset, expected: "BertBackbone", found: "\(type(of: backbone))")
        }
        let preprocessor = try PreprocessorLoader.bertFamily(directory, backbone: backbone)
        let (pooling, normalize) = try poolingSettings(directory)
        return BertTextEmbedder(backbone: backbone, preprocessor: preprocessor, poolingMode: pooling, normalize: normalize)
    }

    static func poolingSettings(_ directory: PresetDirectory) throws -> (PoolingMode, Bool) {
        if directory.has("task.json") {
            let task = try KerasHubObject(contentsOf: directory.file("task.json"))
            if task.className.hasSuffix("TextEmbedder") {
                let name = task.config["pooling_mode"]?.stringValue ?? "mean"
                guard let mode = PoolingMode(rawValue: name) else {
                    throw PresetError.invalidFile(file: directory.file("task.json").path, reason: "unknown pooling_mode '\(name)'")
                }
                return (mode, task.config["normalize"]?.boolValue ?? true)
            }
        }
        if directory.has("modules.json") {
            let modules = try JSONFile.read(directory.file("modules.json")).arrayValue ?? []
            let types = modules.compactMap { $0["type"]?.stringValue }
            let normalize = types.contains { $0.hasSuffix("Normalize") }
            var mode = PoolingMode.mean
            if let poolingPath = modules.first(where: { $0["type"]?.stringValue?.hasSuffix("Pooling") == true })?["path"]?.stringValue,
               directory.has(poolingPath + "/config.json") {
                let config = try JSONFile.readObject(directory.file(poolingPath + "/config.json"))
                if config["pooling_mode_cls_token"]?.boolValue == true { mode = .cls }
                else if config["pooling_mode_max_tokens"]?.boolValue == true { mode = .max }
            }
            return (mode, normalize)
        }
        return (.mean, true)
    }
}
