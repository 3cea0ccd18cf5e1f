import KerasHubTensor

/// The hyperparameters of a ``GPT2Backbone``, encoded with KerasHub's snake_case config keys.
public typealias GPT2BackboneConfig = TransformerBackboneConfig<GPT2ConfigDefaults>

/// KerasHub's GPT-2 defaults: 1024 positions, tanh GELU, layer-norm epsilon 1e-5.
public enum GPT2ConfigDefaults: TransformerConfigDefaults {
    /// `"GPT2Backbone"`.
    public static let backboneName = "GPT2Backbone"
    /// 1024.
    public static let maxSequenceLength = 1024
    /// Tanh-approximated GELU.
    public static let activation = Activation.geluApproximate
    /// 1e-5.
    public static let layerNormEpsilon: Float = 1e-5
}
