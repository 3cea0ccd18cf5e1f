import KerasHubTensor

/// The position-wise feed-forward block of a transformer layer: `output(activation(intermediate(x)))`.
public struct FeedForward: Sendable {
    /// `[hiddenDim, intermediateDim]` with the activation fused.
    public let intermediate: Dense
    /// `[intermediateDim, hiddenDim]`.
    public let output: Dense

    /// Loads `feedforward_intermediate_dense` and `feedforward_output_dense` from `weights`.
    public init(hiddenDim: Int, intermediateDim: Int, activation: Activation, weights: WeightSource) throws {
        intermediate = try Dense(
            inputDim: hiddenDim, outputDim: intermediateDim, activation: activation,
            weights: weights.scope(WeightName.feedForwardIntermediate))
        output = try Dense(
            inputDim: intermediateDim, outputDim: hiddenDim, weights: weights.scope(WeightName.feedForwardOutput))
    }

    /// The block applied to `input` `[..., hiddenDim]`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try output(intermediate(input))
    }

}
