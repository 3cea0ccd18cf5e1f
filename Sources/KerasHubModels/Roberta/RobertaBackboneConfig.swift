import KerasHubTensor

/// The hyperparameters of a ``RobertaBackbone``, encoded with KerasHub's snake_case config keys.
public typealias RobertaBackboneConfig = TransformerBackboneConfig<RobertaConfigDefaults>

/// KerasHub's RoBERTa defaults: 512 positions, exact GELU, layer-norm epsilon 1e-5.
public enum RobertaConfigDefaults: TransformerConfigDefaults {
    /// `"RobertaBackbone"`.
    public static let backboneName = "RobertaBackbone"
    /// 512 (transformers' 514 position rows less the two reserved ones).
    public static let maxSequenceLength = 512
    /// Exact GELU.
    public static let activation = Activation.gelu
    /// 1e-5, the original paper's.
    public static let layerNormEpsilon: Float = 1e-5
}
