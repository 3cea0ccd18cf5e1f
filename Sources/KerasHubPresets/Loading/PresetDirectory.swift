import Foundation
import KerasHubLayers
import KerasHubModels
import KerasHubTensor

/// A resolved preset: a local directory in one of the two layouts of DESIGN §3.
public struct PresetDirectory: PresetFiles {
    /// The two on-disk layouts.
    public enum Layout: Sendable, Equatable {
        /// `config.json` with `class_name`, as KerasHub's `save_to_preset` writes it: weights in
        /// `model.weights.h5` (or `model.weights.json` shards), or in our `model.safetensors`.
        case kerasHub
        /// `config.json` with `model_type` (a transformers checkpoint), weights under transformers' names.
        case transformers
    }

    /// The directory.
    public let url: URL
    /// The name the user gave (for messages).
    public let name: String

    /// A preset directory.
    public init(url: URL, name: String? = nil) {
        self.url = url
        self.name = name ?? url.path
    }

    /// A file of the preset.
    public func file(_ relativePath: String) -> URL { url.appendingPathComponent(relativePath) }

    /// Whether a file of the preset exists.
    public func has(_ relativePath: String) -> Bool { FileManager.default.fileExists(atPath: file(relativePath).path) }

    /// The layout, told by `config.json` (or, for a tokenizer-only KerasHub preset, `tokenizer.json`).
    /// - Throws: ``PresetError`` when neither tells.
    public func layout() throws -> Layout {
        if has("config.json") {
            let config = try JSONFile.readObject(file("config.json"))
            if config["class_name"] != nil { return .kerasHub }
            if config["model_type"] != nil || ModelFamilies.inferredModelType(keys: Set(config.keys)) != nil {
                return .transformers
            }
            throw PresetError.invalidFile(
                file: file("config.json").path,
                reason: "neither a KerasHub config ('class_name') nor a transformers config ('model_type')")
        }
        if has("tokenizer.json"), (try? KerasHubObject(contentsOf: file("tokenizer.json"))) != nil { return .kerasHub }
        if has("tokenizer_config.json") || has("vocab.txt") || has("vocab.json") { return .transformers }
        throw PresetError.missingFile(file: file("config.json").path)
    }

    /// The weights as a tensor store (single file or shards).
    public func checkpoint() throws -> any TensorStore {
        try SafetensorsCheckpoint.open(directory: url)
    }

    /// The backbone weights of a KerasHub-layout preset, in KerasHub's order: `model.weights.h5`,
    /// `model.weights.json` shards (both read through the family's Keras paths), then our
    /// `model.safetensors`.
    /// - Throws: ``PresetError/missingFile(file:)`` when there is none of them, or the error of
    ///   the file that is there.
    func kerasHubWeights(object: KerasHubObject, family: any ModelFamily) throws -> WeightSource {
        if let (store, origin) = try KerasWeightsCheckpoint.openModel(directory: url) {
            let paths = try family.kerasHubWeightPaths(kerasHubConfig: object.config, file: file("config.json").path)
            return WeightSource(store: try paths.mappedStore(over: store, origin: origin), origin: origin)
        }
        guard has(SafetensorsCheckpoint.singleFileName) || has(SafetensorsCheckpoint.indexFileName) else {
            throw PresetError.missingFile(file: file(KerasWeightsCheckpoint.modelFileName).path)
        }
        return WeightSource(store: try checkpoint(), origin: weightsOrigin)
    }

    /// A label for weight errors: the weights file's path.
    var weightsOrigin: String {
        has(SafetensorsCheckpoint.singleFileName)
            ? file(SafetensorsCheckpoint.singleFileName).path : file(SafetensorsCheckpoint.indexFileName).path
    }

    /// The backbone config, parsed once, and the family it names.
    enum BackboneConfig {
        case kerasHub(KerasHubObject, any ModelFamily)
        case transformers(TransformersConfig, any ModelFamily)

        var family: any ModelFamily {
            switch self {
            case .kerasHub(_, let family), .transformers(_, let family): family
            }
        }
    }

    func backboneConfig() throws -> BackboneConfig {
        let configURL = file("config.json")
        switch try layout() {
        case .kerasHub:
            let object = try KerasHubObject(contentsOf: configURL)
            guard let family = ModelFamilies.family(backboneClassName: object.className) else {
                throw PresetError.unknownClass(
                    file: configURL.path, name: object.className, known: ModelFamilies.builtIn.map(\.backboneClassName))
            }
            return .kerasHub(object, family)
        case .transformers:
            let config = try TransformersConfig(contentsOf: configURL)
            guard let family = ModelFamilies.family(modelType: config.modelType) else {
                throw PresetError.unknownClass(
                    file: configURL.path, name: config.modelType, known: ModelFamilies.builtIn.flatMap(\.transformersModelTypes))
            }
            return .transformers(config, family)
        }
    }

    /// The model family the config names, without reading weights.
    public func family() throws -> any ModelFamily { try backboneConfig().family }

    /// The longest sequence the preset's backbone takes, read from its config (no model is built).
    public func maxSequenceLength() throws -> Int {
        let configPath = file("config.json").path
        switch try backboneConfig() {
        case .kerasHub(let object, let family): return try family.maxSequenceLength(kerasHubConfig: object.config, file: configPath)
        case .transformers(let config, let family):
            return try family.maxSequenceLength(transformersConfig: config.object, file: configPath)
        }
    }

    /// Loads the backbone the preset describes.
    public func loadBackbone(loadWeights: Bool = true) throws -> Backbone {
        let configPath = file("config.json").path
        switch try backboneConfig() {
        case .kerasHub(let object, let family):
            let weights = loadWeights ? try kerasHubWeights(object: object, family: family) : .random()
            return try family.makeBackbone(kerasHubConfig: object.config, file: configPath, weights: weights)
        case .transformers(let config, let family):
            return try family.makeBackbone(
                transformersConfig: config.object, file: configPath, checkpoint: loadWeights ? try checkpoint() : nil,
                origin: weightsOrigin)
        }
    }
}
