import KerasHubTensor

/// A lookup table from token ids to vectors, usable in reverse (`x · tableᵀ`) as a tied
/// language-model head.
public struct Embedding: Sendable {
    /// The table, `[inputDim, outputDim]`: one row per id.
    public let embeddings: Tensor

    /// The number of ids (rows).
    public var inputDim: Int { embeddings.shape[0] }
    /// The vector size (columns).
    public var outputDim: Int { embeddings.shape[1] }

    /// Loads `embeddings` `[inputDim, outputDim]` from `weights`.
    public init(inputDim: Int, outputDim: Int, weights: WeightSource) throws {
        embeddings = try weights.tensor(WeightName.embeddings, shape: [inputDim, outputDim], initializer: .kerasHubDefault)
    }

    /// The vectors of `ids`, `[ids.count, outputDim]`.
    /// - Throws: ``TensorError/indexOutOfRange(index:position:bound:)`` for an id outside the table.
    public func callAsFunction(_ ids: [Int32]) throws -> Tensor {
        try embeddings.gatherRows(ids)
    }

    /// Logits over the table for each row of `input` `[..., outputDim]`: `[..., inputDim]`.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` for a wrong last dimension.
    public func reverse(_ input: Tensor) throws -> Tensor {
        try input.matmul(embeddings, transposeOther: true)
    }

}

/// Learned absolute position embeddings, `[sequenceLength, hiddenDim]`.
public struct PositionEmbedding: Sendable {
    /// The table, one row per position.
    public let embeddings: Tensor

    /// The longest sequence the table covers.
    public var sequenceLength: Int { embeddings.shape[0] }

    /// Loads `embeddings` `[sequenceLength, hiddenDim]` from `weights`.
    public init(sequenceLength: Int, hiddenDim: Int, weights: WeightSource) throws {
        embeddings = try weights.tensor(
            WeightName.embeddings, shape: [sequenceLength, hiddenDim], initializer: .kerasHubDefault)
    }

    /// Adds the embeddings of positions `start ..< start + length` to `input` `[batch, length, hiddenDim]`
    /// in place.
    /// - Throws: ``TensorError/indexOutOfRange(index:position:bound:)`` when a position is past the table.
    public func add(to input: inout Tensor, start: Int = 0) throws {
        guard input.rank == 3, input.shape[2] == embeddings.shape[1] else {
            throw TensorError.shapeMismatch(
                operation: "position embedding input", expected: [-1, -1, embeddings.shape[1]], found: input.shape)
        }
        let length = input.shape[1]
        guard start >= 0, start + length <= sequenceLength else {
            throw TensorError.indexOutOfRange(index: start + length - 1, position: length - 1, bound: sequenceLength)
        }
        let width = embeddings.shape[1]
        embeddings.withUnsafeBufferPointer { table in
            let rows = UnsafeBufferPointer(rebasing: table[(start * width)..<((start + length) * width)])
            input.withUnsafeMutableBufferPointer { Kernels.addRowVector(rows, to: $0) }
        }
    }

}
