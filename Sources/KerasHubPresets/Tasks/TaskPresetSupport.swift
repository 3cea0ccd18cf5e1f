import Foundation

extension PresetDirectory {
    /// The file of a KerasHub-layout task's head weights.
    static let taskWeightsFileName = "task.safetensors"

    /// Head weights: `task.safetensors` in the KerasHub layout, or the head tensors of a
    /// transformers checkpoint through `mapping`; `nil` when the preset has no head.
    /// In the KerasHub layout the head is used only when `task.json` names one of `classNames`.
    func headWeights(
        classNames: Set<String>, mapping: (any TensorStore, String) throws -> MappedTensorStore, isPresent: (any TensorStore) -> Bool
    ) throws -> WeightSource? {
        switch try layout() {
        case .kerasHub:
            guard has(Self.taskWeightsFileName), let task = try taskObject(),
                  classNames.contains(task.className.split(separator: ">").last.map(String.init) ?? task.className) else { return nil }
            let url = file(Self.taskWeightsFileName)
            return WeightSource(store: try SafetensorsFile(contentsOf: url), origin: url.path)
        case .transformers:
            let store = try checkpoint()
            guard isPresent(store) else { return nil }
            return WeightSource(store: try mapping(store, weightsOrigin), origin: weightsOrigin)
        }
    }

    /// The KerasHub `task.json`, when present.
    func taskObject() throws -> KerasHubObject? {
        has("task.json") ? try KerasHubObject(contentsOf: file("task.json")) : nil
    }
}

/// Writing a task in the KerasHub layout: the backbone's files, `task.json`, `task.safetensors`,
/// and the tokenizer with `preprocessor.json` when the task has a preprocessor.
enum TaskPresetWriter {
    static func write(
        task: Task, className: String, module: String, config: [String: JSONValue],
        preprocessor: BertTextClassifierPreprocessor?, to directory: URL
    ) throws {
        try task.backbone.saveToPreset(directory)
        guard let family = BackboneFamily(backbone: task.backbone) else {
            throw PresetError.unknownClass(file: directory.path, name: "\(type(of: task.backbone))", known: BackboneFamily.allCases.map(\.className))
        }
        var members = config
        members["name"] = .string(BackboneFamily.snakeCase(className))
        members["trainable"] = .bool(true)
        members["backbone"] = try JSONValue.encoding(family.kerasHubObject(for: task.backbone))
        if let preprocessor {
            try preprocessor.tokenizer.saveToPreset(directory)
            let tokenizer = try KerasHubObject(contentsOf: directory.appendingPathComponent("tokenizer.json"))
            let preprocessorObject = KerasHubObject(
                module: module.replacingOccurrences(of: className.snakeCased, with: className.snakeCased + "_preprocessor"),
                className: className + "Preprocessor",
                config: ["name": .string(className.snakeCased + "_preprocessor"), "trainable": .bool(true),
                         "tokenizer": try JSONValue.encoding(tokenizer),
                         "sequence_length": .number(Double(preprocessor.sequenceLength)),
                         "truncate": .string(preprocessor.truncate.rawValue)],
                registeredName: "keras_hub>\(className)Preprocessor")
            try preprocessorObject.write(to: directory.appendingPathComponent("preprocessor.json"))
            members["preprocessor"] = try JSONValue.encoding(preprocessorObject)
        }
        let object = KerasHubObject(module: module, className: className, config: members, registeredName: "keras_hub>\(className)")
        try object.write(to: directory.appendingPathComponent("task.json"))
        try SafetensorsWriter.write(
            task.headWeights, metadata: ["format": "keras-hub-swift"],
            to: directory.appendingPathComponent(PresetDirectory.taskWeightsFileName))
    }
}

extension String {
    /// `BertTextClassifier` -> `bert_text_classifier`.
    var snakeCased: String { BackboneFamily.snakeCase(self) }
}
