import KerasHubLayers
import KerasHubTensor
import KerasHubTokenizers

/// XLM-RoBERTa's descriptor: `XLMRobertaBackbone` / transformers `xlm-roberta`,
/// ``XLMRobertaTokenizer``, and the tasks ``XLMRobertaTextClassifier``, ``XLMRobertaMaskedLM`` and
/// ``XLMRobertaTextEmbedder``.
public struct XLMRobertaFamily: ModelFamily {
    /// Creates the descriptor.
    public init() {}

    /// `xlm_roberta`.
    public var name: String { "xlm_roberta" }
    /// `XLMRobertaBackbone`.
    public var backboneClassName: String { "XLMRobertaBackbone" }
    /// KerasHub's module.
    public var backboneModule: String { "keras_hub.src.models.xlm_roberta.xlm_roberta_backbone" }
    /// ``XLMRobertaBackbone``.
    public var backboneType: Backbone.Type { XLMRobertaBackbone.self }
    /// `xlm-roberta`.
    public var transformersModelTypes: [String] { ["xlm-roberta"] }
    /// The SentencePiece model, tokenizer options, sentence-transformers' pooling files.
    public var transformersFiles: [String] {
        ["sentencepiece.bpe.model", "tokenizer_config.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json"]
    }
    /// ``XLMRobertaTokenizer``.
    public var tokenizer: any TokenizerDescriptor { XLMRobertaTokenizerDescriptor() }

    /// Builds an ``XLMRobertaBackbone`` from KerasHub's config.
    public func makeBackbone(kerasHubConfig config: [String: JSONValue], file: String, weights: WeightSource) throws -> Backbone {
        let decoded = try decode(RobertaBackboneConfig.self, from: config, file: file)
        try decoded.validate(file: file)
        return try XLMRobertaBackbone(config: decoded, weights: weights)
    }

    /// Builds an ``XLMRobertaBackbone`` from a transformers checkpoint (RoBERTa's names and config).
    public func makeBackbone(
        transformersConfig config: [String: JSONValue], file: String, checkpoint: (any TensorStore)?, origin: String
    ) throws -> Backbone {
        let decoded = try decodeTransformers(RobertaTransformersConfig.self, from: config, file: file).backboneConfig(file: file)
        try decoded.validate(file: file)
        return try XLMRobertaBackbone(
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

    /// RoBERTa's Keras paths (`XLMRobertaBackbone` is KerasHub's `RobertaBackbone` subclass).
    public func kerasHubWeightPaths(kerasHubConfig config: [String: JSONValue], file: String) throws -> [KerasWeightPath] {
        try RobertaFamily().kerasHubWeightPaths(kerasHubConfig: config, file: file)
    }

    /// RoBERTa's LoRA targets.
    public func kerasHubLoRATargets(kerasHubConfig config: [String: JSONValue], file: String) throws -> [Int: String] {
        try RobertaFamily().kerasHubLoRATargets(kerasHubConfig: config, file: file)
    }

    /// The backbone's config as KerasHub writes it.
    public func kerasHubConfig(of backbone: Backbone) throws -> [String: JSONValue] {
        try RobertaFamily().kerasHubConfig(of: typed(backbone, as: XLMRobertaBackbone.self))
    }

    /// `<s> a </s></s> b </s>`.
    public func textPreprocessor(tokenizer: any TokenizerProtocol, sequenceLength: Int, truncate: MultiSegmentPacker.Truncation) throws
        -> TextClassifierPreprocessor? {
        let base = (tokenizer as? Tokenizer)?.base ?? tokenizer
        guard let xlmRoberta = base as? XLMRobertaTokenizer else {
            throw PresetError.wrongClass(preset: "tokenizer", expected: "XLMRobertaTokenizer", found: "\(type(of: base))")
        }
        return TextClassifierPreprocessor(
            tokenizer: xlmRoberta, specialIds: .init(xlmRoberta: xlmRoberta), sequenceLength: sequenceLength, truncate: truncate)
    }

    /// The classifier, the masked LM (RoBERTa's, see ``RobertaFamily``) and the embedder.
    public var tasks: [TaskDescriptor] {
        RobertaFamily.tasks(
            prefix: "XLMRoberta", module: "keras_hub.src.models.xlm_roberta.xlm_roberta", classifier: XLMRobertaTextClassifier.self,
            maskedLM: XLMRobertaMaskedLM.self, backbone: XLMRobertaBackbone.self)
            + [
                .textEmbedder(
                    className: "XLMRobertaTextEmbedder", module: "keras_hub.src.models.xlm_roberta.xlm_roberta_text_embedder",
                    type: XLMRobertaTextEmbedder.self, backboneType: XLMRobertaBackbone.self),
            ]
    }
}
