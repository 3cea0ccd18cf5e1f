import Foundation
import KerasHubModels
import KerasHubTensor

extension Backbone {
    /// Loads a backbone from a preset: a local directory (KerasHub or transformers layout), an
    /// `hf://org/name[@revision]` handle, or a built-in name such as `"all_minilm_l6_v2_en"`.
    ///
    /// Called on a concrete class (`BertBackbone.fromPreset(...)`) it returns that class, and a preset
    /// of another family is a ``PresetError/wrongClass(preset:expected:found:)``.
    /// - Parameters:
    ///   - loadWeights: when false, the architecture is built with KerasHub's random initializers and
    ///     no weights file is read.
    ///   - dtype: the compute dtype; only float32 (the default) is supported.
    /// - Throws: ``PresetError``, ``WeightError`` or ``ConfigError`` saying what was wrong and where.
    public static func fromPreset(_ preset: String, loadWeights: Bool = true, dtype: DType? = nil) throws -> Self {
        if let dtype, dtype != .float32 { throw PresetError.unsupportedDType(dtype.rawValue) }
        if !loadWeights, let builtIn = PresetRegistry.builtIn.preset(named: preset), builtIn.bundled == nil,
           !FileManager.default.fileExists(atPath: (preset as NSString).expandingTildeInPath) {
            return try typed(builtIn.randomBackbone(), preset: preset)
        }
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: loadWeights))
        let family = try directory.family()
        guard family.backboneType is Self.Type else {
            throw PresetError.wrongClass(preset: preset, expected: "\(Self.self)", found: family.backboneClassName)
        }
        return try typed(directory.loadBackbone(loadWeights: loadWeights), preset: preset)
    }

    private static func typed(_ backbone: Backbone, preset: String) throws -> Self {
        guard let typed = backbone as? Self else {
            throw PresetError.wrongClass(preset: preset, expected: "\(Self.self)", found: "\(type(of: backbone))")
        }
        return typed
    }

    /// The family that describes this backbone.
    /// - Throws: ``PresetError/unknownClass(file:name:known:)`` for a class no built-in family registers.
    func family(file: String) throws -> any ModelFamily {
        guard let family = ModelFamilies.family(of: self) else {
            throw PresetError.unknownClass(file: file, name: "\(type(of: self))", known: ModelFamilies.builtIn.map(\.backboneClassName))
        }
        return family
    }
}

extension BuiltInPreset {
    /// The architecture with KerasHub's random initializers, from the registry's `config` (no network).
    /// - Throws: ``PresetError`` when the entry has no config or names no known family.
    public func randomBackbone() throws -> Backbone {
        let file = "Presets/registry.json (\(name))"
        guard let family = ModelFamilies.family(backboneClassName: className) else {
            throw PresetError.unknownClass(file: file, name: className, known: ModelFamilies.builtIn.map(\.backboneClassName))
        }
        guard let config else { throw PresetError.invalidFile(file: file, reason: "no backbone config") }
        return try family.makeBackbone(kerasHubConfig: config, file: file, weights: .random())
    }
}
