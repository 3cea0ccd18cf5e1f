/// Layer normalisation over the last dimension with a learned scale (`gamma`) and shift (`beta`).
public struct LayerNorm: Sendable {
    /// The scale, `[dim]`.
    public let gamma: Tensor
    /// The shift, `[dim]`.
    public let beta: Tensor
    /// Added to the variance before the square root.
    public let epsilon: Float

    /// Loads `gamma` and `beta` of size `dim` from `weights`.
    public init(dim: Int, epsilon: Float, weights: WeightSource) throws {
        gamma = try weights.tensor("gamma", shape: [dim], initializer: .ones)
        beta = try weights.tensor("beta", shape: [dim], initializer: .zeros)
        self.epsilon = epsilon
    }

    /// `input` normalised over its last dimension.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` for a wrong last dimension.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.layerNormalized(gamma: gamma, beta: beta, epsilon: epsilon)
    }

    /// The number of weights in the layer.
    public var parameterCount: Int { gamma.count + beta.count }
}
