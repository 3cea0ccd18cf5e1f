import Foundation

extension Task {
    /// Loads a task from a preset, as KerasHub's `Task.from_preset`.
    ///
    /// On a concrete class (`BertTextClassifier.fromPreset(...)`, `BertMaskedLM`, `BertTextEmbedder`,
    /// `GPT2CausalLM`…) it loads that class, taking the head from the preset when it has one. On
    /// `Task` itself the class follows the preset: KerasHub's `task.json`, a transformers checkpoint's
    /// `architectures` (`BertForSequenceClassification`, `BertForMaskedLM`, `GPT2LMHeadModel`…),
    /// sentence-transformers' `modules.json`, or the backbone when it has only one task (GPT-2).
    /// - Throws: ``PresetError`` (including ``PresetError/wrongClass(preset:expected:found:)``),
    ///   ``TaskError`` (a classifier preset with no head: use `fromPreset(_:numClasses:)`).
    public static func fromPreset(_ preset: String) throws -> Self {
        let taskClass = Self.self == Task.self ? try TaskClassName.of(preset) : "\(Self.self)"
        let task: Task
        switch taskClass {
        case "BertTextClassifier": task = try BertTextClassifier.load(preset, numClasses: nil)
        case "DistilBertTextClassifier": task = try DistilBertTextClassifier.load(preset, numClasses: nil)
        case "BertMaskedLM", "DistilBertMaskedLM": task = try BertMaskedLM.load(preset)
        case "BertTextEmbedder": task = try BertTextEmbedder.load(preset)
        case "GPT2CausalLM": task = try GPT2CausalLM.fromPreset(preset, loadWeights: true)
        default: throw PresetError.unknownClass(file: preset, name: taskClass, known: TaskClassName.known)
        }
        guard let typed = task as? Self else {
            throw PresetError.wrongClass(preset: preset, expected: "\(Self.self)", found: "\(type(of: task))")
        }
        return typed
    }
}

/// Which task class a preset holds.
enum TaskClassName {
    static let known = ["BertTextClassifier", "DistilBertTextClassifier", "BertMaskedLM", "DistilBertMaskedLM",
                        "BertTextEmbedder", "GPT2CausalLM"]

    static let transformersArchitectures = [
        "BertForSequenceClassification": "BertTextClassifier", "DistilBertForSequenceClassification": "DistilBertTextClassifier",
        "BertForMaskedLM": "BertMaskedLM", "DistilBertForMaskedLM": "BertMaskedLM",
        "GPT2LMHeadModel": "GPT2CausalLM", "GPT2Model": "GPT2CausalLM",
    ]

    static func of(_ preset: String) throws -> String {
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: false))
        if let task = try directory.taskObject() {
            return task.className.split(separator: ">").last.map(String.init) ?? task.className
        }
        if directory.has("modules.json") { return "BertTextEmbedder" }
        if try directory.layout() == .transformers {
            let config = try TransformersConfig(contentsOf: directory.file("config.json"))
            if let name = config.architectures?.lazy.compactMap({ transformersArchitectures[$0] }).first { return name }
        }
        let family = try directory.backboneFamily()
        if family == .gpt2 { return "GPT2CausalLM" }
        let tasks = PresetRegistry.builtIn.preset(named: preset)?.tasks ?? []
        if tasks.count == 1, let only = tasks.first { return only }
        throw PresetError.invalidFile(
            file: directory.name,
            reason: "a \(family.className) preset without a task: load a task class (\(known.filter { $0.hasPrefix(family == .bert ? "Bert" : "DistilBert") }.joined(separator: ", ")))")
    }
}
