import KerasHubTensor

/// A low-rank update of a dense layer's kernel, as Keras's `enable_lora(rank)` adds one: the layer
/// computes `x · kernel + (x · a) · b`, with `a` `[inputDim, rank]` and `b` `[rank, outputDim]`
/// (Keras scales the product by `lora_alpha / rank`, which KerasHub's `enable_lora` leaves at 1).
///
/// Applied unmerged, an adapter costs two thin GEMMs per call; ``Dense/mergingLoRA()`` folds it
/// into the kernel once (`kernel + a · b`) for full speed.
public struct LoRAAdapter: Sendable {
    /// The down projection, `[inputDim, rank]`.
    public let a: Tensor
    /// The up projection, `[rank, outputDim]`.
    public let b: Tensor

    /// The rank.
    public var rank: Int { a.shape.last ?? 0 }

    /// An adapter from its factors.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` when the factors are not
    ///   `[in, r]` and `[r, out]`.
    public init(a: Tensor, b: Tensor) throws {
        guard a.rank == 2, b.rank == 2, a.shape[1] == b.shape[0] else {
            throw TensorError.shapeMismatch(operation: "LoRA factors [in, r] and [r, out]", expected: a.shape, found: b.shape)
        }
        self.a = a
        self.b = b
    }

    /// `a · b`, `[inputDim, outputDim]`: what merging adds to the kernel.
    public func product() throws -> Tensor { try a.matmul(b) }

    /// `output += (input · a) · b`, for `input` `[..., inputDim]` and `output` `[..., outputDim]`.
    func add(_ input: Tensor, to output: inout Tensor) throws {
        let update = try input.matmul(a).matmul(b)
        try output.add(update)
    }
}
