import KerasHubLayers
import KerasHubTensor
import KerasHubTokenizers

/// RoBERTa's descriptor: `RobertaBackbone` / transformers `roberta`, ``RobertaTokenizer``, and the
/// tasks ``RobertaTextClassifier`` and ``RobertaMaskedLM``.
public struct RobertaFamily: ModelFamily {
    /// Creates the descriptor.
    public init() {}

    /// `roberta`.
    public var name: String { "roberta" }
    /// `RobertaBackbone`.
    public var backboneClassName: String { "RobertaBackbone" }
    /// KerasHub's module.
    public var backboneModule: String { "keras_hub.src.models.roberta.roberta_backbone" }
    /// ``RobertaBackbone``.
    public var backboneType: Backbone.Type { RobertaBackbone.self }
    /// `roberta`.
    public var transformersModelTypes: [String] { ["roberta"] }
    /// The byte-level BPE files and tokenizer options.
    public var transformersFiles: [String] { ["vocab.json", "merges.txt", "tokenizer_config.json"] }
    /// ``RobertaTokenizer``.
    public var tokenizer: any TokenizerDescriptor { RobertaTokenizerDescriptor() }

    /// Builds a ``RobertaBackbone`` from KerasHub's config.
    public func makeBackbone(kerasHubConfig config: [String: JSONValue], file: String, weights: WeightSource) throws -> Backbone {
        let decoded = try decode(RobertaBackboneConfig.self, from: config, file: file)
        try decoded.validate(file: file)
        return try RobertaBackbone(config: decoded, weights: weights)
    }

    /// Builds a ``RobertaBackbone`` from a transformers checkpoint.
    public func makeBackbone(
        transformersConfig config: [String: JSONValue], file: String, checkpoint: (any TensorStore)?, origin: String
    ) throws -> Backbone {
        let decoded = try decodeTransformers(RobertaTransformersConfig.self, from: config, file: file).backboneConfig(file: file)
        try decoded.validate(file: file)
        return try RobertaBackbone(
            config: decoded, weights: transformersWeights(checkpoint, origin: origin, mapping: RobertaCheckpoint.transformersMapping))
    }

    /// `max_sequence_length` of a KerasHub config (KerasHub's default when absent).
    public func maxSequenceLength(kerasHubConfig config: [String: JSONValue], file: String) throws -> Int {
        try decode(RobertaBackboneConfig.self, from: config, file: file).maxSequenceLength
    }

    /// The position table of a transformers config.
    public func maxSequenceLength(transformersConfig config: [String: JSONValue], file: String) throws -> Int {
        try decodeTransformers(RobertaTransformersConfig.self, from: config, file: file).backboneConfig(file: file).maxSequenceLength
    }

    /// KerasHub's layers: `token_and_position_embedding`, `layer_normalization`, `transformer_encoder[_i]`.
    public func kerasHubWeightPaths(kerasHubConfig config: [String: JSONValue], file: String) throws -> [KerasWeightPath] {
        try decode(RobertaBackboneConfig.self, from: config, file: file).encoderStackKerasWeightPaths
    }

    /// Query and value of each block (``TransformerBackboneConfig/encoderStackLoRATargets``).
    public func kerasHubLoRATargets(kerasHubConfig config: [String: JSONValue], file: String) throws -> [Int: String] {
        try decode(RobertaBackboneConfig.self, from: config, file: file).encoderStackLoRATargets
    }

    /// The backbone's config as KerasHub writes it (`vocabulary_size`, …, `max_sequence_length`).
    public func kerasHubConfig(of backbone: Backbone) throws -> [String: JSONValue] {
        var config = try JSONValue.encoding(typed(backbone, as: RobertaBackbone.self).config).objectValue ?? [:]
        // KerasHub's RobertaBackbone fixes these; its constructor takes neither.
        config["activation"] = nil
        config["layer_norm_epsilon"] = nil
        return config
    }

    /// `<s> a </s></s> b </s>`.
    public func textPreprocessor(tokenizer: any TokenizerProtocol, sequenceLength: Int, truncate: MultiSegmentPacker.Truncation) throws
        -> TextClassifierPreprocessor? {
        let base = (tokenizer as? Tokenizer)?.base ?? tokenizer
        guard let roberta = base as? RobertaTokenizer else {
            throw PresetError.wrongClass(preset: "tokenizer", expected: "RobertaTokenizer", found: "\(type(of: base))")
        }
        return TextClassifierPreprocessor(
            tokenizer: roberta, specialIds: .init(roberta: roberta), sequenceLength: sequenceLength, truncate: truncate)
    }

    /// The classifier and the masked LM.
    public var tasks: [TaskDescriptor] {
        Self.tasks(
            prefix: "Roberta", module: "keras_hub.src.models.roberta.roberta", classifier: RobertaTextClassifier.self,
            maskedLM: RobertaMaskedLM.self, backbone: RobertaBackbone.self)
    }

    /// RoBERTa's classifier and masked LM, or those of a family built on them (XLM-RoBERTa): the
    /// KerasHub names `<prefix>TextClassifier` / `<prefix>MaskedLM` in `<module>_text_classifier` /
    /// `<module>_masked_lm`, transformers' `<prefix>For…` heads, on a backbone of class `B`.
    static func tasks<B: RobertaBackbone>(
        prefix: String, module: String, classifier: RobertaTextClassifier.Type, maskedLM: RobertaMaskedLM.Type, backbone: B.Type
    ) -> [TaskDescriptor] {
        [
            TaskDescriptor(
                className: "\(prefix)TextClassifier", module: module + "_text_classifier", kind: .textClassifier,
                taskType: classifier, transformersArchitectures: ["\(prefix)ForSequenceClassification"],
                transformersHead: TransformersHead(
                    isPresent: { $0.shape(of: "classifier.out_proj.weight") != nil }, mapping: RobertaTextClassifier.transformersHeadMapping),
                kerasHubConfig: TaskDescriptor.classifierConfig, kerasHubHeadPaths: TaskDescriptor.firstTokenClassifierPaths
            ) { context in
                try classifier.init(
                    backbone: context.backbone(as: B.self), numClasses: context.classCount(),
                    headWeights: context.headWeights ?? .random(), preprocessor: context.textPreprocessor)
            },
            TaskDescriptor(
                className: "\(prefix)MaskedLM", module: module + "_masked_lm", kind: .maskedLM,
                taskType: maskedLM, transformersArchitectures: ["\(prefix)ForMaskedLM"],
                transformersHead: TransformersHead(
                    isPresent: { $0.shape(of: "lm_head.bias") != nil }, mapping: RobertaMaskedLM.transformersHeadMapping),
                kerasHubHeadPaths: TaskDescriptor.maskedLMHeadPaths
            ) { context in
                try maskedLM.init(
                    backbone: context.backbone(as: B.self), headWeights: context.headWeights ?? .random(),
                    preprocessor: context.textPreprocessor)
            },
        ]
    }
}
