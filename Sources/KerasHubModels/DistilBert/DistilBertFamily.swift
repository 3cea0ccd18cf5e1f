import KerasHubLayers
import KerasHubTensor
import KerasHubTokenizers

/// DistilBERT's descriptor: `DistilBertBackbone` / transformers `distilbert`, ``DistilBertTokenizer``,
/// and the tasks ``DistilBertTextClassifier`` and ``DistilBertMaskedLM``.
public struct DistilBertFamily: ModelFamily {
    /// Creates the descriptor.
    public init() {}

    /// `distil_bert`.
    public var name: String { "distil_bert" }
    /// `DistilBertBackbone`.
    public var backboneClassName: String { "DistilBertBackbone" }
    /// KerasHub's module.
    public var backboneModule: String { "keras_hub.src.models.distil_bert.distil_bert_backbone" }
    /// ``DistilBertBackbone``.
    public var backboneType: Backbone.Type { DistilBertBackbone.self }
    /// `distilbert`.
    public var transformersModelTypes: [String] { ["distilbert"] }
    /// WordPiece vocabulary, tokenizer options, sentence-transformers' pooling files.
    public var transformersFiles: [String] { BertFamily().transformersFiles }
    /// ``DistilBertTokenizer``.
    public var tokenizer: any TokenizerDescriptor {
        BertTokenizerDescriptor<DistilBertTokenizer>(
            className: "DistilBertTokenizer", module: "keras_hub.src.models.distil_bert.distil_bert_tokenizer")
    }

    /// `dim` and `n_layers` without `model_type` mean DistilBERT.
    public func claimsTransformersConfig(keys: Set<String>) -> Bool { keys.contains("dim") && keys.contains("n_layers") }

    /// Builds a ``DistilBertBackbone`` from KerasHub's config.
    public func makeBackbone(kerasHubConfig config: [String: JSONValue], file: String, weights: WeightSource) throws -> Backbone {
        let decoded = try decode(DistilBertBackboneConfig.self, from: config, file: file)
        try decoded.validate(file: file)
        return try DistilBertBackbone(config: decoded, weights: weights)
    }

    /// Builds a ``DistilBertBackbone`` from a transformers checkpoint.
    public func makeBackbone(
        transformersConfig config: [String: JSONValue], file: String, checkpoint: (any TensorStore)?, origin: String
    ) throws -> Backbone {
        let decoded = try decodeTransformers(DistilBertTransformersConfig.self, from: config, file: file).backboneConfig(file: file)
        try decoded.validate(file: file)
        return try DistilBertBackbone(
            config: decoded, weights: transformersWeights(checkpoint, origin: origin, mapping: DistilBertCheckpoint.transformersMapping))
    }

    /// `max_sequence_length` of a KerasHub config (KerasHub's default when absent).
    public func maxSequenceLength(kerasHubConfig config: [String: JSONValue], file: String) throws -> Int {
        try decode(DistilBertBackboneConfig.self, from: config, file: file).maxSequenceLength
    }

    /// The position table of a transformers config.
    public func maxSequenceLength(transformersConfig config: [String: JSONValue], file: String) throws -> Int {
        try decodeTransformers(DistilBertTransformersConfig.self, from: config, file: file).backboneConfig(file: file).maxSequenceLength
    }

    /// KerasHub's layers: `token_and_position_embedding`, `layer_normalization`, `transformer_encoder[_i]`.
    public func kerasHubWeightPaths(kerasHubConfig config: [String: JSONValue], file: String) throws -> [KerasWeightPath] {
        try decode(DistilBertBackboneConfig.self, from: config, file: file).encoderStackKerasWeightPaths
    }

    /// Query and value of each block (``TransformerBackboneConfig/encoderStackLoRATargets``).
    public func kerasHubLoRATargets(kerasHubConfig config: [String: JSONValue], file: String) throws -> [Int: String] {
        try decode(DistilBertBackboneConfig.self, from: config, file: file).encoderStackLoRATargets
    }

    /// The backbone's config as KerasHub writes it: `DistilBertBackbone`'s constructor arguments (see
    /// ``ModelFamily/kerasHubConfig(encoding:activation:layerNormEpsilon:fixed:)`` for the activation).
    public func kerasHubConfig(of backbone: Backbone) throws -> [String: JSONValue] {
        let config = try typed(backbone, as: DistilBertBackbone.self).config
        return try kerasHubConfig(
            encoding: config, activation: config.activation, layerNormEpsilon: config.layerNormEpsilon, fixed: (DistilBertConfigDefaults.activation, DistilBertConfigDefaults.layerNormEpsilon))
    }

    /// `[CLS] a [SEP] b [SEP]` (the backbone ignores segment ids).
    public func textPreprocessor(tokenizer: any TokenizerProtocol, sequenceLength: Int, truncate: MultiSegmentPacker.Truncation) throws
        -> TextClassifierPreprocessor? {
        try BertFamily.bertPreprocessor(tokenizer: tokenizer, sequenceLength: sequenceLength, truncate: truncate)
    }

    /// The classifier, the masked LM and the embedder.
    public var tasks: [TaskDescriptor] {
        [
            TaskDescriptor(
                className: "DistilBertTextClassifier", module: "keras_hub.src.models.distil_bert.distil_bert_text_classifier",
                kind: .textClassifier, taskType: DistilBertTextClassifier.self,
                transformersArchitectures: ["DistilBertForSequenceClassification"],
                transformersHead: TransformersHead(
                    isPresent: { $0.shape(of: "classifier.weight") != nil }, mapping: DistilBertTextClassifier.transformersHeadMapping),
                kerasHubConfig: TaskDescriptor.classifierConfig, kerasHubHeadPaths: TaskDescriptor.firstTokenClassifierPaths
            ) { context in
                try DistilBertTextClassifier(
                    backbone: context.backbone(as: DistilBertBackbone.self), numClasses: context.classCount(),
                    headWeights: context.headWeights ?? .random(), preprocessor: context.textPreprocessor)
            },
            TaskDescriptor(
                className: "DistilBertMaskedLM", module: "keras_hub.src.models.distil_bert.distil_bert_masked_lm", kind: .maskedLM,
                taskType: DistilBertMaskedLM.self, transformersArchitectures: ["DistilBertForMaskedLM"],
                transformersHead: TransformersHead(
                    isPresent: { $0.shape(of: "vocab_projector.bias") != nil }, mapping: BertMaskedLM.transformersHeadMapping),
                kerasHubHeadPaths: TaskDescriptor.maskedLMHeadPaths
            ) { context in
                try DistilBertMaskedLM(
                    backbone: context.backbone(as: DistilBertBackbone.self), headWeights: context.headWeights ?? .random(),
                    preprocessor: context.textPreprocessor)
            },
            .textEmbedder(
                className: "DistilBertTextEmbedder", module: "keras_hub.src.models.distil_bert.distil_bert_text_embedder",
                type: DistilBertTextEmbedder.self),
        ]
    }
}

/// Sentence embeddings from a DistilBERT backbone (see ``TextEmbedder``).
public final class DistilBertTextEmbedder: TextEmbedder, @unchecked Sendable {}
