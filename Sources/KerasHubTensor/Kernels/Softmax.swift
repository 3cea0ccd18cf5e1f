import Foundation

extension Kernels {
    /// Numerically stable softmax over one row in place; entries where `keep` is false get
    /// probability zero. A row with nothing kept becomes all zeros.
    @inline(__always)
    public static func maskedSoftmax(_ row: UnsafeMutablePointer<Float>, count: Int, keep: (Int) -> Bool) {
        var maximum = -Float.infinity
        for index in 0..<count where keep(index) { maximum = max(maximum, row[index]) }
        guard maximum > -Float.infinity else {
            row.update(repeating: 0, count: count)
            return
        }
        var sum: Float = 0
        for index in 0..<count {
            if keep(index) {
                let value = FastMath.exp(row[index] - maximum)
                row[index] = value
                sum += value
            } else {
                row[index] = 0
            }
        }
        let inverse = 1 / sum
        for index in 0..<count { row[index] *= inverse }
    }
}

extension Tensor {
    /// Softmax over the last dimension, after adding an optional additive mask of the same shape
    /// (use a large negative number, or `-infinity`, to exclude a position).
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` when the mask's shape differs.
    public func softmax(additiveMask: Tensor? = nil) throws -> Tensor {
        if let additiveMask, additiveMask.shape != shape {
            throw TensorError.shapeMismatch(operation: "softmax mask", expected: shape, found: additiveMask.shape)
        }
        var result = self
        if let additiveMask { try result.add(additiveMask) }
        let width = shape.last ?? 0
        guard width > 0 else { return result }
        result.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress else { return }
            for offset in stride(from: 0, to: values.count, by: width) {
                let row = base + offset
                Kernels.maskedSoftmax(row, count: width) { row[$0] > -Float.infinity }
            }
        }
        return result
    }
}
