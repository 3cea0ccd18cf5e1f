import Foundation
import KerasHubModels
import KerasHubTensor

extension Backbone {
    /// Writes the backbone as a preset in KerasHub's layout, as KerasHub 0.32's `save_to_preset`
    /// writes it: `config.json`, `metadata.json` and `model.weights.h5` (or, above
    /// `options.maxShardBytes`, `model.weights.json` with `model_00000.weights.h5`…), so that
    /// `keras_hub.models.Backbone.from_preset(directory)` loads it. With `options.format`
    /// ``PresetWeightsFormat/safetensors`` the weights go to our `model.safetensors` instead.
    /// Loading the preset back gives bit-identical outputs (at float32).
    /// - Throws: ``PresetError`` for an unknown backbone class, ``KerasWeightsError`` or
    ///   ``SafetensorsError`` for a failed write, ``WeightError`` when the backbone's weights are not
    ///   those of KerasHub's class; ``LoRAError/unmergedAdapters(backbone:)`` for unmerged LoRA factors
    ///   (``Backbone/mergeLoRA()`` first; our safetensors format keeps them).
    public func saveToPreset(_ directory: URL, options: PresetSaveOptions = PresetSaveOptions()) throws {
        let family = try family(file: directory.path)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let object = try family.kerasHubObject(of: self, dtype: options.dtype)
        try object.write(to: directory.appendingPathComponent("config.json"))
        try KerasHubMetadata(backbone: self, family: family).write(to: directory)
        for stale in [
            KerasWeightsCheckpoint.modelFileName, KerasWeightsCheckpoint.modelIndexFileName, SafetensorsCheckpoint.singleFileName,
            SafetensorsCheckpoint.indexFileName,
        ] {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(stale))
        }
        switch options.format {
        case .safetensors:
            try SafetensorsWriter.write(
                namedWeights, dtype: options.dtype, metadata: ["format": "keras-hub-swift"],
                to: directory.appendingPathComponent(SafetensorsCheckpoint.singleFileName))
        case .kerasHub:
            guard !hasLoRA else { throw LoRAError.unmergedAdapters(backbone: "\(type(of: self))") }
            let paths = try family.kerasHubWeightPaths(kerasHubConfig: object.config, file: directory.path)
            let entries = try paths.kerasEntries(from: family.kerasHubWeights(of: self), origin: "\(type(of: self))")
            let bytes = entries.reduce(0) { $0 + $1.tensor.count * options.dtype.byteSize }
            if let limit = options.maxShardBytes, bytes > limit {
                try KerasWeightsWriter.writeSharded(
                    entries, dtype: options.dtype, maxShardBytes: limit,
                    indexURL: directory.appendingPathComponent(KerasWeightsCheckpoint.modelIndexFileName))
            } else {
                try KerasWeightsWriter.write(
                    entries, dtype: options.dtype, to: directory.appendingPathComponent(KerasWeightsCheckpoint.modelFileName))
            }
        }
    }

    /// ``saveToPreset(_:options:)`` with a storage dtype, in KerasHub's format.
    public func saveToPreset(_ directory: URL, dtype: DType) throws {
        try saveToPreset(directory, options: PresetSaveOptions(dtype: dtype))
    }
}

/// KerasHub's `metadata.json`: versions, the parameter count, the save date and the task families
/// the backbone's class serves.
struct KerasHubMetadata {
    /// The KerasHub release whose preset format we write.
    static let kerasHubFormatVersion = "0.32.0"

    let parameterCount: Int
    let tasks: [String]

    init(backbone: Backbone, family: any ModelFamily) {
        parameterCount = backbone.parameterCount
        tasks = Set(family.tasks.map(\.kind.kerasHubBaseClass)).sorted()
    }

    func write(to directory: URL) throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
        let metadata: JSONValue = .object([
            "keras_version": .null,
            "keras_hub_version": .string(Self.kerasHubFormatVersion),
            "parameter_count": .number(Double(parameterCount)),
            "date_saved": .string(formatter.string(from: Date())),
            "tasks": .array(tasks.map(JSONValue.string)),
            "saved_by": .string("swift-keras-hub"),
        ])
        try metadata.prettyData().write(to: directory.appendingPathComponent("metadata.json"), options: .atomic)
    }
}

extension TaskDescriptor.Kind {
    /// KerasHub's base class of the task family (`TextClassifier`…), as `metadata.json` lists it.
    var kerasHubBaseClass: String {
        switch self {
        case .textClassifier: "TextClassifier"
        case .maskedLM: "MaskedLM"
        case .causalLM: "CausalLM"
        case .textEmbedder: "TextEmbedder"
        }
    }
}
