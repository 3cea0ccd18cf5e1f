import Foundation

/// The model families presets know, with their names in both on-disk layouts.
public enum BackboneFamily: String, CaseIterable, Sendable {
    /// BERT.
    case bert
    /// DistilBERT.
    case distilBert
    /// GPT-2.
    case gpt2

    /// The KerasHub class name in `config.json`.
    public var className: String {
        switch self {
        case .bert: "BertBackbone"
        case .distilBert: "DistilBertBackbone"
        case .gpt2: "GPT2Backbone"
        }
    }

    /// The KerasHub Python module of the class.
    var module: String {
        switch self {
        case .bert: "keras_hub.src.models.bert.bert_backbone"
        case .distilBert: "keras_hub.src.models.distil_bert.distil_bert_backbone"
        case .gpt2: "keras_hub.src.models.gpt2.gpt2_backbone"
        }
    }

    /// The `model_type` of a transformers `config.json`.
    public var modelType: String {
        switch self {
        case .bert: "bert"
        case .distilBert: "distilbert"
        case .gpt2: "gpt2"
        }
    }

    /// The Swift class.
    public var backboneType: Backbone.Type {
        switch self {
        case .bert: BertBackbone.self
        case .distilBert: DistilBertBackbone.self
        case .gpt2: GPT2Backbone.self
        }
    }

    /// The family of a KerasHub class name (`BertBackbone` or `keras_hub>BertBackbone`).
    init?(className: String) {
        let bare = className.split(separator: ">").last.map(String.init) ?? className
        guard let family = Self.allCases.first(where: { $0.className == bare }) else { return nil }
        self = family
    }

    /// The family of a backbone instance.
    init?(backbone: Backbone) {
        guard let family = Self.allCases.first(where: { $0.backboneType == type(of: backbone) }) else { return nil }
        self = family
    }

    /// Builds a backbone from a KerasHub `config` object and our-named weights.
    func build(kerasHubConfig object: KerasHubObject, file: String, weights: WeightSource) throws -> Backbone {
        switch self {
        case .bert:
            let config = try object.decodeConfig(BertBackboneConfig.self, file: file)
            try config.validate(file: file)
            return try BertBackbone(config: config, weights: weights)
        case .distilBert:
            let config = try object.decodeConfig(DistilBertBackboneConfig.self, file: file)
            try config.validate(file: file)
            return try DistilBertBackbone(config: config, weights: weights)
        case .gpt2:
            let config = try object.decodeConfig(GPT2BackboneConfig.self, file: file)
            try config.validate(file: file)
            return try GPT2Backbone(config: config, weights: weights)
        }
    }

    /// Builds a backbone from a transformers config and a transformers checkpoint (or random weights).
    func build(transformersConfig config: TransformersConfig, file: String, checkpoint: (any TensorStore)?, origin: String) throws -> Backbone {
        func weights(_ mapping: (any TensorStore, String) throws -> MappedTensorStore) throws -> WeightSource {
            guard let checkpoint else { return .random() }
            return WeightSource(store: try mapping(checkpoint, origin), origin: origin)
        }
        switch self {
        case .bert:
            let bertConfig = try config.bertConfig(file: file)
            try bertConfig.validate(file: file)
            return try BertBackbone(config: bertConfig, weights: weights(BertCheckpoint.transformersMapping))
        case .distilBert:
            let distilBertConfig = try config.distilBertConfig(file: file)
            try distilBertConfig.validate(file: file)
            return try DistilBertBackbone(config: distilBertConfig, weights: weights(DistilBertCheckpoint.transformersMapping))
        case .gpt2:
            let gpt2Config = try config.gpt2Config(file: file)
            try gpt2Config.validate(file: file)
            return try GPT2Backbone(config: gpt2Config, weights: weights(GPT2Checkpoint.transformersMapping))
        }
    }

    /// The KerasHub `config.json` object of a backbone of this family.
    func kerasHubObject(for backbone: Backbone) throws -> KerasHubObject {
        let config: JSONValue
        switch backbone {
        case let bert as BertBackbone: config = try JSONValue.encoding(bert.config)
        case let distilBert as DistilBertBackbone: config = try JSONValue.encoding(distilBert.config)
        case let gpt2 as GPT2Backbone: config = try JSONValue.encoding(gpt2.config)
        default: throw PresetError.unknownClass(file: "config.json", name: "\(type(of: backbone))", known: Self.allCases.map(\.className))
        }
        var members = config.objectValue ?? [:]
        members["name"] = .string(Self.snakeCase(className))
        members["trainable"] = .bool(true)
        return KerasHubObject(module: module, className: className, config: members, registeredName: "keras_hub>\(className)")
    }

    /// `BertBackbone` -> `bert_backbone`, `GPT2Backbone` -> `gpt2_backbone`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for (index, character) in name.enumerated() {
            if character.isUppercase, index > 0, let previous = result.last, previous.isLowercase { result += "_" }
            result += character.lowercased()
        }
        return result
    }
}
