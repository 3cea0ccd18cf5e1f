import KerasHubTensor

/// The hyperparameters of a ``DistilBertBackbone``, encoded with KerasHub's snake_case config keys.
public typealias DistilBertBackboneConfig = TransformerBackboneConfig<DistilBertConfigDefaults>

/// KerasHub's DistilBERT defaults: 512 positions, exact GELU, layer-norm epsilon 1e-12.
public enum DistilBertConfigDefaults: TransformerConfigDefaults {
    /// `"DistilBertBackbone"`.
    public static let backboneName = "DistilBertBackbone"
    /// 512.
    public static let maxSequenceLength = 512
    /// Exact GELU (as in KerasHub and transformers).
    public static let activation = Activation.gelu
    /// 1e-12.
    public static let layerNormEpsilon: Float = 1e-12
}
