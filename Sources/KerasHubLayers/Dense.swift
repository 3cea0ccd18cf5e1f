import KerasHubTensor

/// A fully connected layer, `activation(x · kernel + bias)`, over the last dimension.
///
/// The kernel is stored `[inputDim, outputDim]` as in Keras; checkpoints that store PyTorch
/// `Linear` weights `[out, in]` are transposed once when loaded (see each model's checkpoint mapping).
/// Where the AVX-512 kernels run (``BLAS/avx512GemmAvailable``) the kernel is packed once, at
/// creation, into their layout (``PackedMatrix``) and one call is a single pass with the bias and
/// the activation fused into the GEMM's store. Elsewhere one call is an OpenBLAS GEMM over every
/// row of the input, with the bias written into the output first (GEMM with `beta = 1`) and the
/// activation applied in place.
public struct Dense: Sendable {
    /// The bias, `[outputDim]`, if the layer has one.
    public let bias: Tensor?
    /// The activation applied after the affine map.
    public let activation: Activation
    /// The size of the last input dimension.
    public let inputDim: Int
    /// The size of the last output dimension.
    public let outputDim: Int
    /// A low-rank update applied on top of the kernel (``LoRAAdapter``), if one was loaded.
    public let lora: LoRAAdapter?
    private let storage: KernelStorage

    /// How the kernel is held: as loaded, or packed for the AVX-512 kernels.
    private enum KernelStorage: Sendable {
        case plain(Tensor)
        case packed(PackedMatrix)
    }

    /// The weight matrix, `[inputDim, outputDim]` (unpacked into a new tensor when the layer holds
    /// it packed: use it to save or inspect the layer, not on a hot path).
    public var kernel: Tensor {
        switch storage {
        case .plain(let kernel): return kernel
        case .packed(let packed): return packed.unpacked()
        }
    }

    /// Whether the kernel is held packed for the AVX-512 kernels.
    public var isPacked: Bool {
        if case .packed = storage { return true }
        return false
    }

    /// Creates a dense layer from its tensors.
    /// - Parameter lora: a low-rank update of the kernel, applied unmerged (linear layers only).
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` when the kernel is not
    ///   rank 2, the bias length differs from the kernel's output dimension, or the adapter does not
    ///   fit the kernel (or the layer has an activation).
    public init(kernel: Tensor, bias: Tensor?, activation: Activation = .linear, lora: LoRAAdapter? = nil) throws {
        guard kernel.rank == 2 else {
            throw TensorError.shapeMismatch(operation: "Dense kernel (rank 2)", expected: [-1, -1], found: kernel.shape)
        }
        if let bias, bias.shape != [kernel.shape[1]] {
            throw TensorError.shapeMismatch(operation: "Dense bias", expected: [kernel.shape[1]], found: bias.shape)
        }
        if let lora {
            guard lora.a.shape[0] == kernel.shape[0], lora.b.shape[1] == kernel.shape[1], activation == .linear else {
                throw TensorError.shapeMismatch(
                    operation: "LoRA adapter of a linear Dense kernel", expected: kernel.shape, found: [lora.a.shape[0], lora.b.shape[1]])
            }
        }
        self.bias = bias
        self.activation = activation
        self.lora = lora
        inputDim = kernel.shape[0]
        outputDim = kernel.shape[1]
        storage = BLAS.avx512GemmAvailable && kernel.count > 0 ? .packed(PackedMatrix(packing: kernel)) : .plain(kernel)
    }

    /// Loads `kernel` `[inputDim, outputDim]` and (if `useBias`) `bias` `[outputDim]` from `weights`.
    public init(
        inputDim: Int, outputDim: Int, useBias: Bool = true, activation: Activation = .linear,
        weights: WeightSource
    ) throws {
        let kernel = try weights.tensor(WeightName.kernel, shape: [inputDim, outputDim], initializer: .kerasHubDefault)
        let bias = useBias ? try weights.tensor(WeightName.bias, shape: [outputDim], initializer: .zeros) : nil
        var lora: LoRAAdapter?
        if let rank = weights.shape(of: WeightName.loraKernelA)?.last {
            lora = try LoRAAdapter(
                a: weights.tensor(WeightName.loraKernelA, shape: [inputDim, rank], initializer: .zeros),
                b: weights.tensor(WeightName.loraKernelB, shape: [rank, outputDim], initializer: .zeros))
        }
        try self.init(kernel: kernel, bias: bias, activation: activation, lora: lora)
    }

    /// The same layer with its LoRA update folded into the kernel (`kernel + a · b`), or the layer
    /// itself when it has none.
    public func mergingLoRA() throws -> Dense {
        guard let lora else { return self }
        var merged = kernel
        try merged.add(lora.product())
        return try Dense(kernel: merged, bias: bias, activation: activation)
    }

    /// The layer without its adapter, sharing its kernel storage.
    private init(storage: KernelStorage, bias: Tensor?, activation: Activation, inputDim: Int, outputDim: Int) {
        self.storage = storage
        self.bias = bias
        self.activation = activation
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.lora = nil
    }

    /// The layer applied to `input` `[..., inputDim]`, giving `[..., outputDim]`.
    /// - Throws: ``TensorError/shapeMismatch(operation:expected:found:)`` when the last dimension
    ///   is not `inputDim`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.shape.last == inputDim else {
            throw TensorError.shapeMismatch(
                operation: "Dense input (last dimension)", expected: [inputDim], found: input.shape)
        }
        if let lora {
            var output = try Dense(storage: storage, bias: bias, activation: activation, inputDim: inputDim, outputDim: outputDim)(input)
            try lora.add(input, to: &output)
            return output
        }
        let rows = inputDim == 0 ? 0 : input.count / inputDim
        if case .packed(let packed) = storage {
            // The packed kernels write every output element, so the output is never zeroed first.
            let fused = activation.fused
            return try Tensor(shape: Array(input.shape.dropLast()) + [outputDim]) { out in
                guard rows > 0, outputDim > 0, let outBase = out.baseAddress else { return }
                input.withUnsafeBufferPointer { x in
                    guard let xBase = x.baseAddress else { return }
                    func multiply(bias: UnsafePointer<Float>?) {
                        packed.multiply(xBase, rowCount: rows, bias: bias, activation: fused ?? .none, into: outBase)
                    }
                    if let bias { bias.withUnsafeBufferPointer { multiply(bias: $0.baseAddress) } } else { multiply(bias: nil) }
                }
                if fused == nil { activation.apply(out) }
            }
        }
        var output = Tensor(shape: Array(input.shape.dropLast()) + [outputDim])
        guard rows > 0, outputDim > 0, case .plain(let kernel) = storage else { return output }
        output.withUnsafeMutableBufferPointer { out in
            guard let outBase = out.baseAddress else { return }
            if let bias { bias.withUnsafeBufferPointer { Kernels.fillRows(out, with: $0) } }
            input.withUnsafeBufferPointer { x in
                kernel.withUnsafeBufferPointer { w in
                    guard let xBase = x.baseAddress, let wBase = w.baseAddress else { return }
                    if rows == 1 {
                        BLAS.parallelGemv(
                            transposeA: .transposed, rows: inputDim, columns: outputDim,
                            a: wBase, lda: outputDim, x: xBase, beta: bias == nil ? 0 : 1, y: outBase)
                    } else {
                        BLAS.rowParallelGemm(
                            m: rows, n: outputDim, k: inputDim,
                            a: xBase, lda: inputDim, b: wBase, ldb: outputDim,
                            beta: bias == nil ? 0 : 1, c: outBase, ldc: outputDim)
                    }
                }
            }
            activation.apply(out)
        }
        return output
    }

}
