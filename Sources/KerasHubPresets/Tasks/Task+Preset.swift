import Foundation

extension BertTextClassifier {
    /// Loads a classifier from a preset. The head comes from the preset when it has one
    /// (`task.safetensors`, or a transformers `BertForSequenceClassification` checkpoint);
    /// otherwise it is drawn at random for `numClasses` classes, as KerasHub does for a backbone preset.
    /// - Throws: ``PresetError``, ``WeightError`` or ``TaskError`` (no `numClasses` and no head, or a mismatch).
    public static func fromPreset(_ preset: String, numClasses: Int) throws -> BertTextClassifier {
        try load(preset, numClasses: numClasses)
    }

    static func load(_ preset: String, numClasses: Int?) throws -> BertTextClassifier {
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: true))
        guard let backbone = try directory.loadBackbone() as? BertBackbone else {
            throw PresetError.wrongClass(preset: preset, expected: "BertBackbone", found: try directory.backboneFamily().className)
        }
        let weights = try directory.headWeights(classNames: ["BertTextClassifier"], mapping: transformersHeadMapping) {
            $0.shape(of: "classifier.weight") != nil
        }
        let classes = try resolveClassCount(requested: numClasses, found: weights.flatMap { headClassCount($0) }, preset: preset)
        return try BertTextClassifier(
            backbone: backbone, numClasses: classes, headWeights: weights ?? .random(),
            preprocessor: PreprocessorLoader.bertFamilyIfAvailable(directory, backbone: backbone))
    }

    /// Writes the classifier in the KerasHub layout (backbone, tokenizer, preprocessor, task).
    public func saveToPreset(_ directory: URL) throws {
        try TaskPresetWriter.write(
            task: self, className: "BertTextClassifier", module: "keras_hub.src.models.bert.bert_text_classifier",
            config: ["num_classes": .number(Double(numClasses))], preprocessor: preprocessor, to: directory)
    }
}

extension DistilBertTextClassifier {
    /// Loads a classifier from a preset (see ``BertTextClassifier/fromPreset(_:numClasses:)``).
    public static func fromPreset(_ preset: String, numClasses: Int) throws -> DistilBertTextClassifier {
        try load(preset, numClasses: numClasses)
    }

    static func load(_ preset: String, numClasses: Int?) throws -> DistilBertTextClassifier {
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: true))
        guard let backbone = try directory.loadBackbone() as? DistilBertBackbone else {
            throw PresetError.wrongClass(preset: preset, expected: "DistilBertBackbone", found: try directory.backboneFamily().className)
        }
        let weights = try directory.headWeights(classNames: ["DistilBertTextClassifier"], mapping: transformersHeadMapping) {
            $0.shape(of: "classifier.weight") != nil
        }
        let classes = try resolveClassCount(requested: numClasses, found: weights.flatMap { headClassCount($0) }, preset: preset)
        return try DistilBertTextClassifier(
            backbone: backbone, numClasses: classes, headWeights: weights ?? .random(),
            preprocessor: PreprocessorLoader.bertFamilyIfAvailable(directory, backbone: backbone))
    }

    /// Writes the classifier in the KerasHub layout.
    public func saveToPreset(_ directory: URL) throws {
        try TaskPresetWriter.write(
            task: self, className: "DistilBertTextClassifier", module: "keras_hub.src.models.distil_bert.distil_bert_text_classifier",
            config: ["num_classes": .number(Double(numClasses))], preprocessor: preprocessor, to: directory)
    }
}

extension BertMaskedLM {
    /// Loads a masked LM from a preset; the head comes from the preset when it has one
    /// (`task.safetensors`, or a transformers `*ForMaskedLM` checkpoint), else it is drawn at random.
    static func load(_ preset: String) throws -> BertMaskedLM {
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: true))
        let backbone = try directory.loadBackbone()
        let weights = try directory.headWeights(classNames: ["BertMaskedLM", "DistilBertMaskedLM"], mapping: transformersHeadMapping) {
            $0.shape(of: "cls.predictions.bias") != nil || $0.shape(of: "vocab_projector.bias") != nil
        }
        return try BertMaskedLM(
            backbone: backbone, headWeights: weights ?? .random(), preprocessor: PreprocessorLoader.bertFamilyIfAvailable(directory, backbone: backbone))
    }

    /// Writes the masked LM in the KerasHub layout.
    public func saveToPreset(_ directory: URL) throws {
        let isDistilBert = backbone is DistilBertBackbone
        try TaskPresetWriter.write(
            task: self, className: isDistilBert ? "DistilBertMaskedLM" : "BertMaskedLM",
            module: isDistilBert ? "keras_hub.src.models.distil_bert.distil_bert_masked_lm" : "keras_hub.src.models.bert.bert_masked_lm",
            config: [:], preprocessor: preprocessor, to: directory)
    }
}

/// The number of classes of a loaded classifier head (`logits.kernel` is `[hidden, classes]`).
func headClassCount(_ weights: WeightSource) -> Int? {
    weights.shape(of: "logits.kernel")?.last
}

/// `requested` if it agrees with the preset's head, the head's count otherwise.
func resolveClassCount(requested: Int?, found: Int?, preset: String) throws -> Int {
    switch (requested, found) {
    case (let requested?, let found?) where requested != found:
        throw TaskError.invalidConfiguration("preset '\(preset)' has a \(found)-class head, not \(requested) classes")
    case (_, let found?): return found
    case (let requested?, nil): return requested
    case (nil, nil): throw TaskError.invalidConfiguration("preset '\(preset)' has no classifier head: pass numClasses")
    }
}

extension GPT2CausalLM {
    /// Loads GPT-2 with its tied language-model head and a preprocessor from a preset (a KerasHub
    /// preset, a transformers `GPT2LMHeadModel` / `GPT2Model` checkpoint, or a built-in name). A
    /// checkpoint without tokenizer files gives a model without a preprocessor (token ids only).
    public static func fromPreset(_ preset: String, loadWeights: Bool) throws -> GPT2CausalLM {
        let directory = try PresetResolver.resolve(preset, for: .backbone(loadWeights: loadWeights))
        let backbone = try directory.loadBackbone(loadWeights: loadWeights)
        guard let gpt2 = backbone as? GPT2Backbone else {
            throw PresetError.wrongClass(preset: preset, expected: "GPT2Backbone", found: "\(type(of: backbone))")
        }
        var tokenizer: GPT2Tokenizer?
        if let builtIn = PresetRegistry.builtIn.preset(named: preset), let bundled = try TokenizerLoader.loadBundled(builtIn) {
            tokenizer = bundled as? GPT2Tokenizer
        } else if ["tokenizer.json", "vocab.json"].contains(where: directory.has) {
            let loaded = try TokenizerLoader.load(directory)
            guard let typed = loaded as? GPT2Tokenizer else {
                throw PresetError.wrongClass(preset: preset, expected: "GPT2Tokenizer", found: "\(type(of: loaded))")
            }
            tokenizer = typed
        }
        var addStartToken = true
        if directory.has("preprocessor.json"),
           let flag = try KerasHubObject(contentsOf: directory.file("preprocessor.json")).config["add_start_token"]?.boolValue {
            addStartToken = flag
        }
        return GPT2CausalLM(
            backbone: gpt2, preprocessor: tokenizer.map { GPT2CausalLMPreprocessor(tokenizer: $0, addStartToken: addStartToken) })
    }
}
