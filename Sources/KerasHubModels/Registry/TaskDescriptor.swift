import Foundation
import KerasHubLayers
import KerasHubTensor

/// How a task's head is read from a transformers checkpoint (`BertForSequenceClassification`'s
/// `classifier.*`, `RobertaForMaskedLM`'s `lm_head.*`…).
public struct TransformersHead: Sendable {
    /// Whether the checkpoint holds this head.
    public let isPresent: @Sendable (any TensorStore) -> Bool
    /// Our head names over the checkpoint's.
    public let mapping: @Sendable (any TensorStore, String) throws -> MappedTensorStore

    /// Creates a head mapping.
    public init(
        isPresent: @escaping @Sendable (any TensorStore) -> Bool,
        mapping: @escaping @Sendable (any TensorStore, String) throws -> MappedTensorStore
    ) {
        self.isPresent = isPresent
        self.mapping = mapping
    }
}

/// What a task's loader is given: the preset's backbone, its head weights (when the preset has a
/// head for this task), its preprocessors, and its files.
public struct TaskLoadContext: Sendable {
    /// The preset as the user named it.
    public let preset: String
    /// The backbone, already loaded.
    public let backbone: Backbone
    /// The class count the caller asked for (classifiers).
    public let numClasses: Int?
    /// The head's weights from the preset, or `nil` when it has none (the head is then drawn at random).
    public let headWeights: WeightSource?
    /// The text preprocessor, when the preset has tokenizer files.
    public let textPreprocessor: TextClassifierPreprocessor?
    /// The prompt preprocessor, when the preset has tokenizer files (causal LMs).
    public let causalPreprocessor: CausalLMPreprocessor?
    /// The preset's files (pooling settings, `task.json`).
    public let files: any PresetFiles

    /// Creates a context.
    public init(
        preset: String, backbone: Backbone, numClasses: Int?, headWeights: WeightSource?,
        textPreprocessor: TextClassifierPreprocessor?, causalPreprocessor: CausalLMPreprocessor?, files: any PresetFiles
    ) {
        self.preset = preset
        self.backbone = backbone
        self.numClasses = numClasses
        self.headWeights = headWeights
        self.textPreprocessor = textPreprocessor
        self.causalPreprocessor = causalPreprocessor
        self.files = files
    }

    /// The backbone as `T`.
    /// - Throws: ``PresetError/wrongClass(preset:expected:found:)`` for another class.
    public func backbone<T: Backbone>(as type: T.Type) throws -> T {
        guard let typed = backbone as? T else {
            throw PresetError.wrongClass(preset: preset, expected: "\(T.self)", found: "\(Swift.type(of: backbone))")
        }
        return typed
    }

    /// The class count of a classifier: the head's (`logits.kernel` is `[hidden, classes]`) if the
    /// preset has one, else the requested one.
    /// - Throws: ``TaskError/invalidConfiguration(_:)`` when they disagree or neither is known.
    public func classCount() throws -> Int {
        switch (numClasses, headWeights?.shape(of: "logits.kernel")?.last) {
        case (let requested?, let found?) where requested != found:
            throw TaskError.invalidConfiguration("preset '\(preset)' has a \(found)-class head, not \(requested) classes")
        case (_, let found?): return found
        case (let requested?, nil): return requested
        case (nil, nil): throw TaskError.invalidConfiguration("preset '\(preset)' has no classifier head: pass numClasses")
        }
    }
}

/// One task class of a model family: its KerasHub names, the transformers architectures that hold
/// it, how its head is read, and how it is built and saved.
public struct TaskDescriptor: Sendable {
    /// The task families of KerasHub.
    public enum Kind: String, Sendable, CaseIterable {
        /// ``TextClassifier``.
        case textClassifier
        /// ``MaskedLM``.
        case maskedLM
        /// ``CausalLM``.
        case causalLM
        /// ``TextEmbedder``.
        case textEmbedder
    }

    /// The KerasHub class name, e.g. `RobertaTextClassifier`.
    public let className: String
    /// The KerasHub Python module of the class.
    public let module: String
    /// The task family.
    public let kind: Kind
    /// The Swift class.
    public let taskType: Task.Type
    /// transformers `architectures` entries that hold this task.
    public let transformersArchitectures: [String]
    /// How the head is read from a transformers checkpoint, if it has weights.
    public let transformersHead: TransformersHead?
    /// Builds the task.
    public let load: @Sendable (TaskLoadContext) throws -> Task
    /// The task's own `task.json` config members (`num_classes`…).
    public let kerasHubConfig: @Sendable (Task) -> [String: JSONValue]
    /// Where the head's weights live in KerasHub's `task.weights.h5`, for a backbone and a class
    /// count (classifiers); empty for a task without weights of its own (a causal LM with tied
    /// embeddings, an embedder).
    public let kerasHubHeadPaths: @Sendable (_ backbone: Backbone, _ numClasses: Int?) -> [KerasWeightPath]

    /// Creates a descriptor.
    public init(
        className: String, module: String, kind: Kind, taskType: Task.Type, transformersArchitectures: [String] = [],
        transformersHead: TransformersHead? = nil, kerasHubConfig: @escaping @Sendable (Task) -> [String: JSONValue] = { _ in [:] },
        kerasHubHeadPaths: @escaping @Sendable (_ backbone: Backbone, _ numClasses: Int?) -> [KerasWeightPath] = { _, _ in [] },
        load: @escaping @Sendable (TaskLoadContext) throws -> Task
    ) {
        self.className = className
        self.module = module
        self.kind = kind
        self.taskType = taskType
        self.transformersArchitectures = transformersArchitectures
        self.transformersHead = transformersHead
        self.kerasHubConfig = kerasHubConfig
        self.kerasHubHeadPaths = kerasHubHeadPaths
        self.load = load
    }
}

extension TaskDescriptor {
    /// A classifier's `task.json` config: `num_classes`.
    public static let classifierConfig: @Sendable (Task) -> [String: JSONValue] = { task in
        ["num_classes": .number(Double((task as? TextClassifier)?.numClasses ?? 0))]
    }

    /// KerasHub's `MaskedLMHead` (`layers/masked_lm_head`), tied to the token embedding.
    public static let maskedLMHeadPaths: @Sendable (Backbone, Int?) -> [KerasWeightPath] = { backbone, _ in
        var paths = KerasWeightPaths()
        paths.maskedLMHead(
            TaskWeightName.maskedLMHead, "layers/masked_lm_head", hidden: backbone.hiddenDim, vocabulary: backbone.vocabularySize)
        return paths.paths
    }

    /// A first-token classifier head (DistilBERT, RoBERTa): `pooled_dense` is Keras's `layers/dense`,
    /// `logits` its `layers/dense_1`.
    public static let firstTokenClassifierPaths: @Sendable (Backbone, Int?) -> [KerasWeightPath] = { backbone, numClasses in
        var paths = KerasWeightPaths()
        paths.dense(TaskWeightName.pooledDense, "layers/dense", input: backbone.hiddenDim, output: backbone.hiddenDim)
        paths.dense(TaskWeightName.logits, "layers/dense_1", input: backbone.hiddenDim, output: numClasses ?? 0)
        return paths.paths
    }

    /// A text embedder of class `type`, its pooling read from the preset (``TextEmbedder/poolingSettings(_:)``)
    /// and written to `task.json` (`pooling_mode`, `normalize`).
    /// - Parameter backboneType: the backbone class the embedder needs, or `nil` for any.
    public static func textEmbedder(
        className: String, module: String, type: TextEmbedder.Type, backboneType: Backbone.Type? = nil
    ) -> TaskDescriptor {
        TaskDescriptor(
            className: className, module: module, kind: .textEmbedder, taskType: type,
            kerasHubConfig: { task in
                guard let embedder = task as? TextEmbedder else { return [:] }
                return ["pooling_mode": .string(embedder.poolingMode.rawValue), "normalize": .bool(embedder.normalize)]
            }
        ) { context in
            if let backboneType, Swift.type(of: context.backbone) != backboneType {
                throw PresetError.wrongClass(
                    preset: context.preset, expected: "\(backboneType)", found: "\(Swift.type(of: context.backbone))")
            }
            let (pooling, normalize) = try TextEmbedder.poolingSettings(context.files)
            return type.init(backbone: context.backbone, preprocessor: context.textPreprocessor, poolingMode: pooling, normalize: normalize)
        }
    }
}
