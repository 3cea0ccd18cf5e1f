extension Kernels {
    /// Layer normalisation of each row of `values` in place:
    /// `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, with the biased variance (as PyTorch).
    public static func layerNorm(
        _ values: UnsafeMutableBufferPointer<Float>,
        gamma: UnsafeBufferPointer<Float>, beta: UnsafeBufferPointer<Float>, epsilon: Float
    ) {
        let width = gamma.count
        guard width > 0, let base = values.baseAddress else { return }
        let inverseWidth = 1 / Float(width)
        for offset in stride(from: 0, to: values.count, by: width) {
            let row = base + offset
            var sum: Float = 0
            for column in 0..<width { sum += row[column] }
            let mean = sum * inverseWidth
            var squares: Float = 0
            for column in 0..<width {
                let centred = row[column] - mean
                squares += centred * centred
            }
            let scale = 1 / (squares * inverseWidth + epsilon).squareRoot()
            for column in 0..<width {
                row[column] = (row[column] - mean) * scale * gamma[column] + beta[column]
            }
        }
    }
}

extension Tensor {
    /// Layer normalisation over the last dimension.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` when `gamma` or `beta`
    ///   is not a vector of the last dimension's size.
    public func layerNormalized(gamma: Tensor, beta: Tensor, epsilon: Float) throws -> Tensor {
        let width = shape.last ?? 0
        for parameter in [gamma, beta] where parameter.shape != [width] {
            throw TensorError.shapeMismatch(operation: "layer norm parameter", expected: [width], found: parameter.shape)
        }
        var result = self
        gamma.withUnsafeBufferPointer { gamma in
            beta.withUnsafeBufferPointer { beta in
                result.withUnsafeMutableBufferPointer { Kernels.layerNorm($0, gamma: gamma, beta: beta, epsilon: epsilon) }
            }
        }
        return result
    }
}
