import Foundation
import KerasHubLayers
import KerasHubTensor
import KerasHubTokenizers

/// Everything the library knows about one model family, provided by the family's own folder
/// (`Bert/BertFamily.swift`, `Roberta/RobertaFamily.swift`…): the names it answers to in both
/// preset layouts, how its backbone is built from either config, its tokenizer, its preprocessors
/// and its tasks. Loaders, `fromPreset`, the CLI and the benchmarks go through these descriptors;
/// ``ModelFamilies/builtIn`` is the one list of the built-in families.
public protocol ModelFamily: Sendable {
    /// A short name for messages and the CLI, e.g. `roberta`.
    var name: String { get }
    /// The KerasHub backbone class name in `config.json`, e.g. `RobertaBackbone`.
    var backboneClassName: String { get }
    /// The KerasHub Python module of the backbone class.
    var backboneModule: String { get }
    /// The Swift backbone class.
    var backboneType: Backbone.Type { get }
    /// The `model_type`s of transformers configs this family reads.
    var transformersModelTypes: [String] { get }
    /// Files of a transformers checkpoint, besides config and weights, that a fetch takes when present.
    var transformersFiles: [String] { get }
    /// The family's tokenizer.
    var tokenizer: any TokenizerDescriptor { get }
    /// The family's tasks.
    var tasks: [TaskDescriptor] { get }

    /// Whether a transformers config without `model_type` is this family's, told by its keys (as the
    /// oldest published checkpoints are written).
    func claimsTransformersConfig(keys: Set<String>) -> Bool
    /// Builds the backbone from a KerasHub `config.json` `config` and our-named weights.
    func makeBackbone(kerasHubConfig config: [String: JSONValue], file: String, weights: WeightSource) throws -> Backbone
    /// Builds the backbone from a transformers `config.json` and checkpoint (random weights when `nil`).
    func makeBackbone(
        transformersConfig config: [String: JSONValue], file: String, checkpoint: (any TensorStore)?, origin: String
    ) throws -> Backbone
    /// The longest sequence the backbone of a KerasHub `config` takes, read without building it.
    func maxSequenceLength(kerasHubConfig config: [String: JSONValue], file: String) throws -> Int
    /// The longest sequence the backbone of a transformers `config.json` takes, read without building it.
    func maxSequenceLength(transformersConfig config: [String: JSONValue], file: String) throws -> Int
    /// Where each backbone weight lives in KerasHub's `model.weights.h5` for a KerasHub `config`
    /// (the Keras object paths and shapes), in build order.
    func kerasHubWeightPaths(kerasHubConfig config: [String: JSONValue], file: String) throws -> [KerasWeightPath]
    /// The layers KerasHub's `enable_lora(rank)` factors (each attention's query and value), by the
    /// index KerasHub's `save_lora_weights` gives them, as our dense layers' names.
    func kerasHubLoRATargets(kerasHubConfig config: [String: JSONValue], file: String) throws -> [Int: String]
    /// The KerasHub `config` of a backbone of this family.
    func kerasHubConfig(of backbone: Backbone) throws -> [String: JSONValue]
    /// The weights KerasHub's class of this backbone holds, under our names (its named weights, plus
    /// any layer KerasHub's class always has and a checkpoint may lack).
    func kerasHubWeights(of backbone: Backbone) throws -> [String: Tensor]
    /// The text preprocessor over this family's tokenizer (`nil` for a decoder-only family).
    func textPreprocessor(tokenizer: any TokenizerProtocol, sequenceLength: Int, truncate: MultiSegmentPacker.Truncation) throws
        -> TextClassifierPreprocessor?
    /// The prompt preprocessor over this family's tokenizer (`nil` for an encoder-only family).
    func causalPreprocessor(tokenizer: any TokenizerProtocol, addStartToken: Bool) throws -> CausalLMPreprocessor?
}

extension ModelFamily {
    /// No key-based inference by default.
    public func claimsTransformersConfig(keys: Set<String>) -> Bool { false }
    /// Encoder families have no prompt preprocessor.
    public func causalPreprocessor(tokenizer: any TokenizerProtocol, addStartToken: Bool) throws -> CausalLMPreprocessor? { nil }
    /// Decoder families have no text-classification preprocessor.
    public func textPreprocessor(tokenizer: any TokenizerProtocol, sequenceLength: Int, truncate: MultiSegmentPacker.Truncation) throws
        -> TextClassifierPreprocessor? { nil }

    /// The backbone's named weights.
    public func kerasHubWeights(of backbone: Backbone) throws -> [String: Tensor] { backbone.namedWeights }

    /// A backbone config encoded as KerasHub's constructor arguments. KerasHub's classes fix the
    /// activation and the layer-norm epsilon (`fixed`); the two are written (and ignored by
    /// KerasHub) only when `config`'s differ, e.g. a transformers checkpoint's exact GELU, so that
    /// the preset reloads here to the same numbers and a config KerasHub wrote computes as KerasHub.
    public func kerasHubConfig<Config: Encodable>(
        encoding config: Config, activation: Activation, layerNormEpsilon: Float, fixed: (activation: Activation, layerNormEpsilon: Float)
    ) throws -> [String: JSONValue] {
        var members = try JSONValue.encoding(config).objectValue ?? [:]
        if activation == fixed.activation { members["activation"] = nil }
        if layerNormEpsilon == fixed.layerNormEpsilon { members["layer_norm_epsilon"] = nil }
        return members
    }

    /// The KerasHub `config.json` object of a backbone of this family, with Keras's dtype policy
    /// for `dtype` (the variables' dtype KerasHub builds the model in).
    public func kerasHubObject(of backbone: Backbone, dtype: DType = .float32) throws -> KerasHubObject {
        var members = try kerasHubConfig(of: backbone)
        members["name"] = .string(kerasSnakeCase(backboneClassName))
        members["trainable"] = .bool(true)
        members["dtype"] = .object([
            "module": .string("keras"), "class_name": .string("DTypePolicy"),
            "config": .object(["name": .string(dtype.rawValue)]), "registered_name": .null,
        ])
        return KerasHubObject(
            module: backboneModule, className: backboneClassName, config: members, registeredName: "keras_hub>\(backboneClassName)")
    }

    /// The typed backbone of this family.
    /// - Throws: ``PresetError/unknownClass(file:name:known:)`` for another class.
    public func typed<T: Backbone>(_ backbone: Backbone, as type: T.Type) throws -> T {
        guard let typed = backbone as? T else {
            throw PresetError.unknownClass(file: "config.json", name: "\(Swift.type(of: backbone))", known: [backboneClassName])
        }
        return typed
    }

    /// A KerasHub config decoded as `T`, naming the file on failure.
    /// - Throws: ``PresetError/invalidFile(file:reason:)``.
    public func decode<T: Decodable>(_ type: T.Type, from config: [String: JSONValue], file: String) throws -> T {
        do {
            return try JSONValue.object(config).decode(T.self)
        } catch {
            throw PresetError.invalidFile(file: file, reason: "config for \(backboneClassName): \(ConfigError.describe(error))")
        }
    }

    /// A transformers config decoded as `T`, naming the file on failure.
    /// - Throws: ``ConfigError/invalid(file:reason:)``.
    public func decodeTransformers<T: Decodable>(_ type: T.Type, from config: [String: JSONValue], file: String) throws -> T {
        do {
            return try JSONValue.object(config).decode(T.self)
        } catch {
            throw ConfigError.invalid(file: file, reason: ConfigError.describe(error))
        }
    }

    /// The weights over a transformers checkpoint through `mapping`, or random weights without one.
    public func transformersWeights(
        _ checkpoint: (any TensorStore)?, origin: String, mapping: (any TensorStore, String) throws -> MappedTensorStore
    ) throws -> WeightSource {
        guard let checkpoint else { return .random() }
        return WeightSource(store: try mapping(checkpoint, origin), origin: origin)
    }
}

/// The built-in model families: the one list a new model's folder adds its family to.
public enum ModelFamilies {
    /// Every built-in family.
    public static let builtIn: [any ModelFamily] = [
        BertFamily(),
        DistilBertFamily(),
        GPT2Family(),
        RobertaFamily(),
        XLMRobertaFamily(),
    ]

    /// The family whose KerasHub backbone class is `className` (`RobertaBackbone` or `keras_hub>RobertaBackbone`).
    public static func family(backboneClassName className: String) -> (any ModelFamily)? {
        let bare = className.split(separator: ">").last.map(String.init) ?? className
        return builtIn.first { $0.backboneClassName == bare }
    }

    /// The family that reads transformers `model_type`.
    public static func family(modelType: String) -> (any ModelFamily)? {
        builtIn.first { $0.transformersModelTypes.contains(modelType) }
    }

    /// The family of a backbone instance.
    public static func family(of backbone: Backbone) -> (any ModelFamily)? {
        builtIn.first { $0.backboneType == type(of: backbone) }
    }

    /// The `model_type` a config without one has, told by its keys, or `nil`.
    public static func inferredModelType(keys: Set<String>) -> String? {
        builtIn.first { $0.claimsTransformersConfig(keys: keys) }?.transformersModelTypes.first
    }

    /// Every task of every family.
    public static var allTasks: [TaskDescriptor] { builtIn.flatMap(\.tasks) }

    /// The task descriptor of a KerasHub task class name.
    public static func task(className: String) -> TaskDescriptor? {
        let bare = className.split(separator: ">").last.map(String.init) ?? className
        return allTasks.first { $0.className == bare }
    }

    /// The task descriptor of a task instance.
    public static func task(of task: Task) -> TaskDescriptor? {
        allTasks.first { $0.taskType == type(of: task) }
    }
}
