import Foundation
import KerasHubLayers
import KerasHubModels
import KerasHubTensor
import KerasHubTokenizers

extension PresetDirectory {
    /// Our own file of a KerasHub-layout task's head weights (KerasHub's is `task.weights.h5`).
    static let taskWeightsFileName = "task.safetensors"

    /// Head weights for `task`: in the KerasHub layout, when `task.json` names the task's class,
    /// `task.weights.h5` through the task's Keras paths (its `optimizer/…` state ignored) or our
    /// `task.safetensors`; in the transformers layout, the head tensors of the checkpoint through
    /// the task's mapping; `nil` when the preset has no such head.
    func headWeights(for task: TaskDescriptor, backbone: Backbone, numClasses: Int?) throws -> WeightSource? {
        switch try layout() {
        case .kerasHub:
            guard let object = try taskObject(),
                  (object.className.split(separator: ">").last.map(String.init) ?? object.className) == task.className else { return nil }
            if has(KerasWeightsCheckpoint.taskFileName) {
                let url = file(KerasWeightsCheckpoint.taskFileName)
                let classes = object.config["num_classes"]?.intValue ?? numClasses
                let paths = task.kerasHubHeadPaths(backbone, classes)
                let store = try paths.mappedStore(over: KerasWeightsFile(contentsOf: url), origin: url.path) { name in
                    name.hasPrefix("optimizer/") || name.hasPrefix("preprocessor/")
                }
                return WeightSource(store: store, origin: url.path)
            }
            guard has(Self.taskWeightsFileName) else { return nil }
            let url = file(Self.taskWeightsFileName)
            return WeightSource(store: try SafetensorsFile(contentsOf: url), origin: url.path)
        case .transformers:
            guard let head = task.transformersHead else { return nil }
            let store = try checkpoint()
            guard head.isPresent(store) else { return nil }
            return WeightSource(store: try head.mapping(store, weightsOrigin), origin: weightsOrigin)
        }
    }

    /// The task whose head the preset holds, or `nil` for a backbone-only preset: in the KerasHub
    /// layout the class `task.json` names; in the transformers layout the task whose
    /// `architectures` entry the config lists and whose head tensors the checkpoint has.
    public func taskWithHead() throws -> TaskDescriptor? {
        switch try layout() {
        case .kerasHub:
            guard let object = try taskObject() else { return nil }
            return ModelFamilies.task(className: object.className)
        case .transformers:
            guard has("config.json") else { return nil }
            let architectures = try TransformersConfig(contentsOf: file("config.json")).architectures ?? []
            let candidates = try family().tasks.filter { !Set($0.transformersArchitectures).isDisjoint(with: architectures) }
            guard !candidates.isEmpty else { return nil }
            let store = try checkpoint()
            return candidates.first { $0.transformersHead?.isPresent(store) ?? false }
        }
    }

    /// `num_classes` of a KerasHub `task.json` that names `task`'s class, or `nil`.
    func taskClassCount(for task: TaskDescriptor) throws -> Int? {
        guard let object = try taskObject(),
              (object.className.split(separator: ">").last.map(String.init) ?? object.className) == task.className else { return nil }
        return object.config["num_classes"]?.intValue
    }

    /// The KerasHub `task.json`, when present.
    func taskObject() throws -> KerasHubObject? {
        has("task.json") ? try KerasHubObject(contentsOf: file("task.json")) : nil
    }
}

/// Writing a task in the KerasHub layout: the backbone's files, `task.json`, the head's weights
/// (`task.weights.h5`, or our `task.safetensors`), and the tokenizer with `preprocessor.json` when
/// the task has a preprocessor.
enum TaskPresetWriter {
    static func write(task: Task, to directory: URL, options: PresetSaveOptions) throws {
        guard let descriptor = ModelFamilies.task(of: task) else {
            throw PresetError.unknownClass(file: directory.path, name: "\(type(of: task))", known: ModelFamilies.allTasks.map(\.className))
        }
        let family = try task.backbone.family(file: directory.path)
        try task.backbone.saveToPreset(directory, options: options)
        let className = descriptor.className
        var members = descriptor.kerasHubConfig(task)
        members["name"] = .string(kerasSnakeCase(className))
        members["trainable"] = .bool(true)
        members["backbone"] = try JSONValue.encoding(family.kerasHubObject(of: task.backbone))
        if let preprocessor = (task as? TextClassifier)?.preprocessor ?? (task as? MaskedLM)?.preprocessor
            ?? (task as? TextEmbedder)?.preprocessor {
            let object = try writePreprocessor(
                tokenizer: preprocessor.tokenizer, descriptor: descriptor,
                config: ["sequence_length": .number(Double(preprocessor.sequenceLength)), "truncate": .string(preprocessor.truncate.rawValue)],
                to: directory)
            members["preprocessor"] = try JSONValue.encoding(object)
        } else if let preprocessor = (task as? CausalLM)?.preprocessor {
            let object = try writePreprocessor(
                tokenizer: preprocessor.tokenizer, descriptor: descriptor,
                config: ["add_start_token": .bool(preprocessor.addStartToken)], to: directory)
            members["preprocessor"] = try JSONValue.encoding(object)
        }
        let object = KerasHubObject(module: descriptor.module, className: className, config: members, registeredName: "keras_hub>\(className)")
        try object.write(to: directory.appendingPathComponent("task.json"))
        for stale in [KerasWeightsCheckpoint.taskFileName, PresetDirectory.taskWeightsFileName] {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(stale))
        }
        let head = task.headWeights
        guard !head.isEmpty else { return }
        switch options.format {
        case .kerasHub:
            let paths = descriptor.kerasHubHeadPaths(task.backbone, (task as? TextClassifier)?.numClasses)
            let entries = try paths.kerasEntries(from: head, origin: "\(type(of: task)) head")
            try KerasWeightsWriter.write(entries, dtype: options.dtype, to: directory.appendingPathComponent(KerasWeightsCheckpoint.taskFileName))
        case .safetensors:
            try SafetensorsWriter.write(
                head, dtype: options.dtype, metadata: ["format": "keras-hub-swift"],
                to: directory.appendingPathComponent(PresetDirectory.taskWeightsFileName))
        }
    }

    /// Writes the tokenizer and `preprocessor.json` (`<Task>Preprocessor`), returning the latter.
    static func writePreprocessor(
        tokenizer: any TokenizerProtocol, descriptor: TaskDescriptor, config: [String: JSONValue], to directory: URL
    ) throws -> KerasHubObject {
        try tokenizer.saveToPreset(directory)
        let tokenizerObject = try KerasHubObject(contentsOf: directory.appendingPathComponent("tokenizer.json"))
        let className = descriptor.className + "Preprocessor"
        var members = config
        members["name"] = .string(kerasSnakeCase(className))
        members["trainable"] = .bool(true)
        members["tokenizer"] = try JSONValue.encoding(tokenizerObject)
        let object = KerasHubObject(
            module: descriptor.module + "_preprocessor", className: className, config: members, registeredName: "keras_hub>\(className)")
        try object.write(to: directory.appendingPathComponent("preprocessor.json"))
        return object
    }
}

/// Writing a preprocessor alone, as KerasHub's `preprocessor.save_to_preset`: `preprocessor.json`
/// and the tokenizer's files.
enum PreprocessorPresetWriter {
    /// The task of `kind` of the family whose tokenizer class `tokenizer` is.
    /// - Throws: ``PresetError/unknownClass(file:name:known:)`` when no family has that tokenizer and task.
    static func task(of kind: TaskDescriptor.Kind, tokenizer: any TokenizerProtocol, directory: URL) throws -> TaskDescriptor {
        let base: any TokenizerProtocol = (tokenizer as? Tokenizer)?.base ?? tokenizer
        let className = TokenizerClasses.of(base)?.className ?? "\(type(of: base))"
        guard let family = ModelFamilies.builtIn.first(where: { $0.tokenizer.className == className }),
              let task = family.tasks.first(where: { $0.kind == kind })
        else {
            throw PresetError.unknownClass(
                file: directory.appendingPathComponent("preprocessor.json").path, name: className,
                known: ModelFamilies.builtIn.map(\.tokenizer.className))
        }
        return task
    }
}

extension TextClassifierPreprocessor {
    /// Writes the preprocessor as KerasHub does: `preprocessor.json` (its family's
    /// `<Family>TextClassifierPreprocessor`, `sequence_length`, `truncate`), `tokenizer.json` and the
    /// tokenizer's assets.
    /// - Throws: ``PresetError`` for a tokenizer of no registered family, or a write error.
    public func saveToPreset(_ directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let task = try PreprocessorPresetWriter.task(of: .textClassifier, tokenizer: tokenizer, directory: directory)
        _ = try TaskPresetWriter.writePreprocessor(
            tokenizer: tokenizer, descriptor: task,
            config: ["sequence_length": .number(Double(sequenceLength)), "truncate": .string(truncate.rawValue)], to: directory)
    }
}

extension CausalLMPreprocessor {
    /// Writes the preprocessor as KerasHub does: `preprocessor.json` (`<Family>CausalLMPreprocessor`,
    /// `add_start_token`), `tokenizer.json` and the tokenizer's assets.
    /// - Throws: ``PresetError`` for a tokenizer of no registered family, or a write error.
    public func saveToPreset(_ directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let task = try PreprocessorPresetWriter.task(of: .causalLM, tokenizer: tokenizer, directory: directory)
        _ = try TaskPresetWriter.writePreprocessor(
            tokenizer: tokenizer, descriptor: task, config: ["add_start_token": .bool(addStartToken)], to: directory)
    }
}
