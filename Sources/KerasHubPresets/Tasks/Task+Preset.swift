import Foundation
import KerasHubModels
import KerasHubTensor
import KerasHubTokenizers

extension Task {
    /// Loads a task from a preset, as KerasHub's `Task.from_preset`.
    ///
    /// The concrete class follows the preset's backbone, among the tasks its family registers that
    /// are `Self` or a subclass: `TextClassifier.fromPreset(p, numClasses: 2)` gives a
    /// ``BertTextClassifier`` for a BERT preset and a ``RobertaTextClassifier`` for a RoBERTa one.
    /// When several fit (on `Task` itself) the preset decides: KerasHub's `task.json`, a transformers
    /// checkpoint's `architectures` (`BertForSequenceClassification`, `RobertaForMaskedLM`…),
    /// sentence-transformers' `modules.json`, or the only task the family (or the built-in preset) has.
    /// The head comes from the preset when it has one (`task.safetensors`, or the head tensors of a
    /// transformers checkpoint); otherwise it is drawn at random, as KerasHub does for a backbone preset.
    /// - Parameters:
    ///   - loadWeights: when false, backbone and head are built with KerasHub's random initializers.
    ///   - dtype: the compute dtype; only float32 (the default) is supported.
    /// - Throws: ``PresetError`` (including ``PresetError/wrongClass(preset:expected:found:)``),
    ///   ``TaskError`` (a classifier preset with no head: use ``TextClassifier/fromPreset(_:numClasses:loadWeights:dtype:)``).
    public static func fromPreset(_ preset: String, loadWeights: Bool = true, dtype: DType? = nil) throws -> Self {
        try TaskLoader.load(preset, as: Self.self, numClasses: nil, loadWeights: loadWeights, dtype: dtype)
    }

    /// Writes the task in KerasHub's layout, as KerasHub 0.32's `save_to_preset` does: the
    /// backbone's files (see ``Backbone/saveToPreset(_:options:)``), `task.json`, `task.weights.h5`
    /// for a head with weights of its own, and `tokenizer.json`, its assets and `preprocessor.json`
    /// when the task has a preprocessor; `keras_hub.models.Task.from_preset(directory)` loads it.
    /// - Throws: ``PresetError`` for a task no family registers, a write error, or a ``WeightError``.
    public func saveToPreset(_ directory: URL, options: PresetSaveOptions = PresetSaveOptions()) throws {
        try TaskPresetWriter.write(task: self, to: directory, options: options)
    }
}

extension TextClassifier {
    /// Loads a classifier for `numClasses` classes from a preset (see ``Task/fromPreset(_:loadWeights:dtype:)``);
    /// a preset with a head of another class count is an error.
    /// - Throws: ``PresetError``, ``WeightError`` or ``TaskError``.
    public static func fromPreset(_ preset: String, numClasses: Int, loadWeights: Bool = true, dtype: DType? = nil) throws -> Self {
        try TaskLoader.load(preset, as: Self.self, numClasses: numClasses, loadWeights: loadWeights, dtype: dtype)
    }
}

/// Picks, builds and types the task a preset holds.
enum TaskLoader {
    static func load<T: Task>(_ preset: String, as type: T.Type, numClasses: Int?, loadWeights: Bool, dtype: DType?) throws -> T {
        if let dtype, dtype != .float32 { throw PresetError.unsupportedDType(dtype.rawValue) }
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: loadWeights))
        let family = try directory.family()
        let descriptor = try choose(T.self, family: family, directory: directory, preset: preset)
        let backbone = try directory.loadBackbone(loadWeights: loadWeights)
        // One tokenizer, read once, for whichever preprocessor the family has.
        let tokenizer = try causalBundledTokenizer(preset, family: family) ?? PreprocessorLoader.tokenizer(directory)
        let textPreprocessor = try tokenizer.flatMap {
            try PreprocessorLoader.text(directory, family: family, tokenizer: $0, maximum: backbone.maxSequenceLength)
        }
        let causalPreprocessor = try tokenizer.flatMap { try PreprocessorLoader.causal(directory, family: family, tokenizer: $0) }
        let classes = try numClasses ?? directory.taskClassCount(for: descriptor)
        let context = TaskLoadContext(
            preset: preset, backbone: backbone, numClasses: classes,
            headWeights: loadWeights ? try directory.headWeights(for: descriptor, backbone: backbone, numClasses: classes) : nil,
            textPreprocessor: textPreprocessor, causalPreprocessor: causalPreprocessor, files: directory)
        let task = try descriptor.load(context)
        guard let typed = task as? T else {
            throw PresetError.wrongClass(preset: preset, expected: "\(T.self)", found: "\(Swift.type(of: task))")
        }
        return typed
    }

    /// A decoder family's built-in preset may ship its tokenizer with the package (its remote files then
    /// stay untouched); `nil` otherwise.
    private static func causalBundledTokenizer(_ preset: String, family: any ModelFamily) throws -> (any TokenizerProtocol)? {
        guard family.tasks.contains(where: { $0.kind == .causalLM }) else { return nil }
        return try PresetRegistry.builtIn.preset(named: preset).flatMap(TokenizerLoader.loadBundled)
    }

    /// The task descriptor among `family.tasks` that is a `T` and that the preset names.
    static func choose<T: Task>(
        _ type: T.Type, family: any ModelFamily, directory: PresetDirectory, preset: String
    ) throws -> TaskDescriptor {
        let candidates = family.tasks.filter { $0.taskType is T.Type }
        guard !candidates.isEmpty else {
            throw PresetError.wrongClass(preset: preset, expected: "\(T.self)", found: family.backboneClassName)
        }
        if candidates.count == 1, let only = candidates.first { return only }
        if let task = try directory.taskObject() {
            let name = task.className.split(separator: ">").last.map(String.init) ?? task.className
            if let named = candidates.first(where: { $0.className == name }) { return named }
        }
        if directory.has("modules.json"), let embedder = candidates.first(where: { $0.kind == .textEmbedder }) { return embedder }
        if try directory.layout() == .transformers {
            let architectures = try TransformersConfig(contentsOf: directory.file("config.json")).architectures ?? []
            if let named = candidates.first(where: { !Set($0.transformersArchitectures).isDisjoint(with: architectures) }) {
                return named
            }
        }
        let registered = PresetRegistry.builtIn.preset(named: preset)?.tasks ?? []
        let listed = candidates.filter { registered.contains($0.className) }
        if listed.count == 1, let only = listed.first { return only }
        throw PresetError.invalidFile(
            file: directory.name,
            reason: "a \(family.backboneClassName) preset without a task: load a task class (\(candidates.map(\.className).joined(separator: ", ")))")
    }
}
