import KerasHubLayers
import KerasHubTensor
import KerasHubTokenizers

/// BERT's descriptor: `BertBackbone` / transformers `bert`, ``BertTokenizer``, and the tasks
/// ``BertTextClassifier``, ``BertMaskedLM`` and ``BertTextEmbedder``.
public struct BertFamily: ModelFamily {
    /// Creates the descriptor.
    public init() {}

    /// `bert`.
    public var name: String { "bert" }
    /// `BertBackbone`.
    public var backboneClassName: String { "BertBackbone" }
    /// KerasHub's module.
    public var backboneModule: String { "keras_hub.src.models.bert.bert_backbone" }
    /// ``BertBackbone``.
    public var backboneType: Backbone.Type { BertBackbone.self }
    /// `bert`.
    public var transformersModelTypes: [String] { ["bert"] }
    /// WordPiece vocabulary, tokenizer options, sentence-transformers' pooling files.
    public var transformersFiles: [String] {
        ["vocab.txt", "tokenizer_config.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json"]
    }
    /// ``BertTokenizer``.
    public var tokenizer: any TokenizerDescriptor {
        BertTokenizerDescriptor<BertTokenizer>(className: "BertTokenizer", module: "keras_hub.src.models.bert.bert_tokenizer")
    }

    /// `hidden_size` and `num_hidden_layers` without `model_type` mean BERT.
    public func claimsTransformersConfig(keys: Set<String>) -> Bool {
        keys.contains("hidden_size") && keys.contains("num_hidden_layers")
    }

    /// Builds a ``BertBackbone`` from KerasHub's config.
    public func makeBackbone(kerasHubConfig config: [String: JSONValue], file: String, weights: WeightSource) throws -> Backbone {
        let decoded = try decode(BertBackboneConfig.self, from: config, file: file)
        try decoded.validate(file: file)
        return try BertBackbone(config: decoded, weights: weights)
    }

    /// Builds a ``BertBackbone`` from a transformers checkpoint.
    public func makeBackbone(
        transformersConfig config: [String: JSONValue], file: String, checkpoint: (any TensorStore)?, origin: String
    ) throws -> Backbone {
        let decoded = try decodeTransformers(BertTransformersConfig.self, from: config, file: file).backboneConfig(file: file)
        try decoded.validate(file: file)
        return try BertBackbone(
            config: decoded, weights: transformersWeights(checkpoint, origin: origin, mapping: BertCheckpoint.transformersMapping))
    }

    /// `max_sequence_length` of a KerasHub config (KerasHub's default when absent).
    public func maxSequenceLength(kerasHubConfig config: [String: JSONValue], file: String) throws -> Int {
        try decode(BertBackboneConfig.self, from: config, file: file).maxSequenceLength
    }

    /// The position table of a transformers config.
    public func maxSequenceLength(transformersConfig config: [String: JSONValue], file: String) throws -> Int {
        try decodeTransformers(BertTransformersConfig.self, from: config, file: file).backboneConfig(file: file).maxSequenceLength
    }

    /// KerasHub's `BertBackbone` layers: `reversible_embedding` (tokens), `position_embedding`,
    /// `embedding` (segments), `layer_normalization`, `transformer_encoder[_i]`, `dense` (pooler).
    public func kerasHubWeightPaths(kerasHubConfig config: [String: JSONValue], file: String) throws -> [KerasWeightPath] {
        let config = try decode(BertBackboneConfig.self, from: config, file: file)
        let hidden = config.hiddenDim
        var paths = KerasWeightPaths()
        paths.embedding(BackboneWeightName.tokenEmbedding, "layers/reversible_embedding", rows: config.vocabularySize, dim: hidden)
        paths.embedding(BackboneWeightName.positionEmbedding, "layers/position_embedding", rows: config.maxSequenceLength, dim: hidden)
        paths.embedding(BackboneWeightName.segmentEmbedding, "layers/embedding", rows: config.numSegments, dim: hidden)
        paths.layerNorm(BackboneWeightName.embeddingsLayerNorm, "layers/layer_normalization", dim: hidden)
        for index in 0..<config.numLayers {
            paths.transformerBlock(
                BackboneWeightName.transformerLayer(index), "layers/" + KerasWeightPaths.numbered("transformer_encoder", index),
                hidden: hidden, heads: config.numHeads, intermediate: config.intermediateDim)
        }
        paths.dense(BackboneWeightName.pooledDense, "layers/dense", input: hidden, output: hidden)
        return paths.paths
    }

    /// The named weights, with a pooler when the backbone has none: KerasHub's `BertBackbone` always
    /// has one, so a BERT read from a checkpoint without it (`BertForMaskedLM`) is saved with the
    /// pooler KerasHub's initializers draw, as KerasHub builds an untrained layer (its pooled output
    /// means nothing, as the checkpoint had none; the sequence output and the tasks are unaffected).
    public func kerasHubWeights(of backbone: Backbone) throws -> [String: Tensor] {
        let bert = try typed(backbone, as: BertBackbone.self)
        var weights = bert.namedWeights
        if bert.pooledDense == nil {
            let pooler = try Dense(
                inputDim: bert.hiddenDim, outputDim: bert.hiddenDim, activation: .tanh,
                weights: WeightSource.random().scope(BackboneWeightName.pooledDense))
            weights[BackboneWeightName.pooledDense + "." + WeightName.kernel] = pooler.kernel
            weights[BackboneWeightName.pooledDense + "." + WeightName.bias] = pooler.bias
        }
        return weights
    }

    /// Query and value of each block; 4 layers with weights (token, position and segment embeddings and their norm) come first.
    public func kerasHubLoRATargets(kerasHubConfig config: [String: JSONValue], file: String) throws -> [Int: String] {
        KerasWeightPaths.loraTargets(leadingLayers: 4, numLayers: try decode(BertBackboneConfig.self, from: config, file: file).numLayers)
    }

    /// The backbone's config as KerasHub writes it: `BertBackbone`'s constructor arguments (see
    /// ``ModelFamily/kerasHubConfig(encoding:activation:layerNormEpsilon:fixed:)`` for the activation).
    public func kerasHubConfig(of backbone: Backbone) throws -> [String: JSONValue] {
        let config = try typed(backbone, as: BertBackbone.self).config
        return try kerasHubConfig(
            encoding: config, activation: config.activation, layerNormEpsilon: config.layerNormEpsilon, fixed: (.geluApproximate, 1e-12))
    }

    /// `[CLS] a [SEP] b [SEP]`.
    public func textPreprocessor(tokenizer: any TokenizerProtocol, sequenceLength: Int, truncate: MultiSegmentPacker.Truncation) throws
        -> TextClassifierPreprocessor? {
        try BertFamily.bertPreprocessor(tokenizer: tokenizer, sequenceLength: sequenceLength, truncate: truncate)
    }

    /// The classifier, the masked LM and the embedder.
    public var tasks: [TaskDescriptor] {
        [
            TaskDescriptor(
                className: "BertTextClassifier", module: "keras_hub.src.models.bert.bert_text_classifier", kind: .textClassifier,
                taskType: BertTextClassifier.self, transformersArchitectures: ["BertForSequenceClassification"],
                transformersHead: TransformersHead(
                    isPresent: { $0.shape(of: "classifier.weight") != nil }, mapping: BertTextClassifier.transformersHeadMapping),
                kerasHubConfig: TaskDescriptor.classifierConfig,
                kerasHubHeadPaths: { backbone, numClasses in
                    var paths = KerasWeightPaths()
                    paths.dense(TaskWeightName.logits, "layers/dense", input: backbone.hiddenDim, output: numClasses ?? 0)
                    return paths.paths
                }
            ) { context in
                try BertTextClassifier(
                    backbone: context.backbone(as: BertBackbone.self), numClasses: context.classCount(),
                    headWeights: context.headWeights ?? .random(), preprocessor: context.textPreprocessor)
            },
            TaskDescriptor(
                className: "BertMaskedLM", module: "keras_hub.src.models.bert.bert_masked_lm", kind: .maskedLM,
                taskType: BertMaskedLM.self, transformersArchitectures: ["BertForMaskedLM", "BertForPreTraining"],
                transformersHead: TransformersHead(
                    isPresent: { $0.shape(of: "cls.predictions.bias") != nil }, mapping: BertMaskedLM.transformersHeadMapping),
                kerasHubHeadPaths: TaskDescriptor.maskedLMHeadPaths
            ) { context in
                try BertMaskedLM(
                    backbone: context.backbone(as: BertBackbone.self), headWeights: context.headWeights ?? .random(),
                    preprocessor: context.textPreprocessor)
            },
            .textEmbedder(
                className: "BertTextEmbedder", module: "keras_hub.src.models.bert.bert_text_embedder", type: BertTextEmbedder.self),
        ]
    }

    /// A BERT-family preprocessor over `tokenizer`, which must be a ``BertFamilyTokenizer``.
    /// - Throws: ``PresetError/wrongClass(preset:expected:found:)`` for another tokenizer.
    static func bertPreprocessor(tokenizer: any TokenizerProtocol, sequenceLength: Int, truncate: MultiSegmentPacker.Truncation) throws
        -> TextClassifierPreprocessor {
        let base = (tokenizer as? Tokenizer)?.base ?? tokenizer
        guard let bert = base as? any BertFamilyTokenizer else {
            throw PresetError.wrongClass(preset: "tokenizer", expected: "BertTokenizer", found: "\(type(of: base))")
        }
        return TextClassifierPreprocessor(tokenizer: bert, sequenceLength: sequenceLength, truncate: truncate)
    }
}
