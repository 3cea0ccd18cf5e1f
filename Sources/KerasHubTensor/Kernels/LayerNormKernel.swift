extension Kernels {
    /// Layer normalisation of each row of `values` in place:
    /// `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, with the biased variance (as PyTorch).
    public static func layerNorm(
        _ values: UnsafeMutableBufferPointer<Float>,
        gamma: UnsafeBufferPointer<Float>, beta: UnsafeBufferPointer<Float>, epsilon: Float
    ) {
        let width = gamma.count
        guard width > 0, let base = values.baseAddress, let g = gamma.baseAddress, let b = beta.baseAddress else { return }
        let pointers = UncheckedSendable((base, g, b))
        Parallel.forEachRange(values.count / width, minimumPerWorker: max(1, 65_536 / width)) { rows in
            let (base, g, b) = pointers.value
            for row in rows { layerNormRow(base + row * width, width: width, gamma: g, beta: b, epsilon: epsilon) }
        }
    }

    /// Layer normalisation of one row of `width` floats in place.
    @inline(__always)
    public static func layerNormRow(
        _ row: UnsafeMutablePointer<Float>, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        let inverseWidth = 1 / Float(width)
        let mean = sum(row, count: width) * inverseWidth
        let variance = sumOfSquares(row, count: width, centre: mean) * inverseWidth
        let scale = 1 / (variance + epsilon).squareRoot()
        for column in 0..<width {
            row[column] = (row[column] - mean) * scale * gamma[column] + beta[column]
        }
    }

    /// `values += residual`, then layer normalisation of each row, in place (a post-norm block's
    /// `norm(x + sublayer(x))` in one pass over the data).
    public static func addLayerNorm(
        _ values: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>, rows: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float, width: Int
    ) {
        let pointers = UncheckedSendable((values, residual, gamma, beta))
        Parallel.forEachRange(rows, minimumPerWorker: max(1, 65_536 / max(1, width))) { range in
            let (values, residual, gamma, beta) = pointers.value
            for row in range {
                let target = values + row * width, source = residual + row * width
                for column in 0..<width { target[column] += source[column] }
                layerNormRow(target, width: width, gamma: gamma, beta: beta, epsilon: epsilon)
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
