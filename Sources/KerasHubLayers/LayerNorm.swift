import KerasHubTensor

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
        gamma = try weights.tensor(WeightName.gamma, shape: [dim], initializer: .ones)
        beta = try weights.tensor(WeightName.beta, shape: [dim], initializer: .zeros)
        self.epsilon = epsilon
    }

    /// `input` normalised over its last dimension.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` for a wrong last dimension.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.layerNormalized(gamma: gamma, beta: beta, epsilon: epsilon)
    }

    /// `norm(input + residual)`, computed in place in one pass (a post-norm block's residual).
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` for differing shapes or a
    ///   wrong last dimension.
    func addingResidual(_ input: consuming Tensor, _ residual: Tensor) throws -> Tensor {
        let width = gamma.count
        guard input.shape == residual.shape, input.shape.last == width else {
            throw TensorError.shapeMismatch(operation: "residual layer norm", expected: input.shape, found: residual.shape)
        }
        var result = input
        guard width > 0 else { return result }
        result.withUnsafeMutableBufferPointer { values in
            residual.withUnsafeBufferPointer { residual in
                gamma.withUnsafeBufferPointer { gamma in
                    beta.withUnsafeBufferPointer { beta in
                        guard let target = values.baseAddress, let source = residual.baseAddress,
                              let g = gamma.baseAddress, let b = beta.baseAddress else { return }
                        Kernels.addLayerNorm(
                            target, residual: source, rows: values.count / width, gamma: g, beta: b,
                            epsilon: epsilon, width: width)
                    }
                }
            }
        }
        return result
    }

}
