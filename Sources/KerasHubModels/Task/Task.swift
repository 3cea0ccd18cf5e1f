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

    /// The number of weights, backbone and head.
    open var parameterCount: Int { backbone.parameterCount + headWeights.values.reduce(0) { $0 + $1.count } }

    /// The head's weights under their preset names (the backbone's are in `backbone.namedWeights`).
    open var headWeights: [String: Tensor] { [:] }
}
