import KerasHubLayers
import KerasHubTensor

/// The base class of every task: a backbone with a head on top (a classifier, a masked-LM head,
/// a causal-LM head, an embedder), as KerasHub's `Task`.
///
/// Tasks are immutable after construction, so one instance can serve many threads at once.
open class Task: @unchecked Sendable {
    /// The backbone under the head.
    public let backbone: Backbone

    /// Creates the base part of a task.
    public init(backbone: Backbone) {
        self.backbone = backbone
    }

    /// Lists the head's weights and layers under their preset names (the names its initializer
    /// reads from the head's ``WeightSource``); ``headWeights`` and ``parameterCount`` derive from it.
    open func visitHeadWeights(_ visitor: WeightVisitor) {}

    /// The number of weights, backbone and head.
    public var parameterCount: Int { backbone.parameterCount + Head(task: self).parameterCount }

    /// The head's weights under their preset names (the backbone's are in `backbone.namedWeights`).
    public var headWeights: [String: Tensor] { Head(task: self).namedWeights }

    private struct Head: WeightTree {
        let task: Task
        func visitWeights(_ visitor: WeightVisitor) { task.visitHeadWeights(visitor) }
    }
}

/// The preset names of the task heads' layers, read by their initializers and listed by their
/// ``Task/visitHeadWeights(_:)``.
public enum TaskWeightName {
    /// A classifier's output layer.
    public static let logits = "logits"
    /// A classifier's hidden layer (DistilBERT, RoBERTa).
    public static let pooledDense = "pooled_dense"
    /// A masked LM's head.
    public static let maskedLMHead = "masked_lm_head"
}
