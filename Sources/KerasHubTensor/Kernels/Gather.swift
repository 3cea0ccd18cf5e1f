extension Tensor {
    /// Rows of a `[rows, width]` table selected by index: `[indices.count, width]` (an embedding lookup).
    /// - Throws: ``TensorError/indexOutOfRange(index:position:bound:)`` for an index outside the table.
    public func gatherRows(_ indices: [Int32]) throws -> Tensor {
        guard rank == 2 else {
            throw TensorError.shapeMismatch(operation: "gather (rank-2 table)", expected: [-1, -1], found: shape)
        }
        let rows = shape[0], width = shape[1]
        for (position, index) in indices.enumerated() where index < 0 || Int(index) >= rows {
            throw TensorError.indexOutOfRange(index: Int(index), position: position, bound: rows)
        }
        var result = Tensor(shape: [indices.count, width])
        guard width > 0 else { return result }
        withUnsafeBufferPointer { table in
            result.withUnsafeMutableBufferPointer { out in
                guard let source = table.baseAddress, let target = out.baseAddress else { return }
                for (position, index) in indices.enumerated() {
                    (target + position * width).update(from: source + Int(index) * width, count: width)
                }
            }
        }
        return result
    }
}
