import Foundation
import KerasHubLayers
import KerasHubTensor

extension Backbone {
    /// Whether any layer holds unmerged LoRA factors.
    public var hasLoRA: Bool { weightShapes.keys.contains { $0.hasSuffix("." + WeightName.loraKernelA) } }

    /// This backbone with the LoRA weights of a file written by KerasHub's
    /// `backbone.save_lora_weights(path)` (after `enable_lora(rank)`): the query and value projections
    /// of every attention layer carry the factors, applied unmerged (`x·W + (x·A)·B`) until
    /// ``mergeLoRA()``. The numbers are KerasHub's with the same file.
    ///
    /// KerasHub addresses each factored layer by its index among the backbone's layers that hold
    /// weights (`lora/<index>/vars/lora_kernel_a`); each family maps those indices to its layers.
    /// - Throws: ``LoRAError`` naming the file and dataset when the file is not LoRA weights for this
    ///   backbone (rank, a layer index, a shape), or ``KerasWeightsError`` when it cannot be read.
    public func loadingLoRAWeights(from url: URL) throws -> Self {
        let family = try loraFamily()
        let file = url.path
        let store = try KerasWeightsFile(contentsOf: url)
        let targets = try family.kerasHubLoRATargets(kerasHubConfig: family.kerasHubConfig(of: self), file: file)
        guard store.shape(of: "lora/vars/rank") == [], let rankValue = try store.tensor(named: "lora/vars/rank").scalars.first,
              rankValue >= 1, rankValue <= Float(hiddenDim), rankValue == rankValue.rounded()
        else {
            throw LoRAError.invalidFile(file: file, reason: "'lora/vars/rank' must be a scalar between 1 and \(hiddenDim)")
        }
        let rank = Int(rankValue)
        var expected: Set<String> = ["lora/vars/rank"]
        var weights = namedWeights
        for (index, layer) in targets.sorted(by: { $0.key < $1.key }) {
            let aPath = "lora/\(index)/vars/lora_kernel_a", bPath = "lora/\(index)/vars/lora_kernel_b"
            expected.formUnion([aPath, bPath])
            guard let kernel = weights[layer + "." + WeightName.kernel], kernel.rank == 2 else {
                throw LoRAError.unknownBackbone("\(type(of: self)) (no layer \(layer))")
            }
            let (inputs, outputs) = (kernel.shape[0], kernel.shape[1])
            guard let aShape = store.shape(of: aPath), let bShape = store.shape(of: bPath) else {
                throw LoRAError.invalidFile(file: file, reason: "no '\(aPath)' / '\(bPath)' for \(layer)")
            }
            // Keras factors an attention projection's kernel [in, heads, head_dim] per head:
            // a [in, heads, rank], b [rank, head_dim], update[i, h, :] = a[i, h, :] · b.
            let heads = aShape.count == 3 ? aShape[1] : 0
            guard aShape.count == 3, aShape[0] == inputs, aShape[2] == rank, heads > 0, bShape.count == 2, bShape[0] == rank,
                  heads * bShape[1] == outputs
            else {
                throw LoRAError.invalidFile(
                    file: file,
                    reason: "\(layer): expected '\(aPath)' [\(inputs), heads, \(rank)] and '\(bPath)' [\(rank), head_dim] with heads × head_dim = \(outputs), found \(aShape) and \(bShape)")
            }
            for path in [aPath, bPath] where store.storageDType(of: path) == "INT" {
                throw LoRAError.invalidFile(file: file, reason: "'\(path)' holds integers, not floats")
            }
            let (a, b) = try Self.perHeadFactors(a: store.tensor(named: aPath), b: store.tensor(named: bPath), heads: heads, rank: rank)
            weights[layer + "." + WeightName.loraKernelA] = a
            weights[layer + "." + WeightName.loraKernelB] = b
        }
        let extra = Set(store.tensorNames).subtracting(expected).sorted()
        guard extra.isEmpty else {
            throw LoRAError.invalidFile(
                file: file, reason: "datasets for layers this backbone does not factor: \(extra.prefix(4).joined(separator: ", "))")
        }
        return try rebuilt(with: weights, family: family, origin: file)
    }

    /// This backbone with every LoRA update folded into its kernel (`W + A·B`) and no factors left:
    /// the same numbers (to float rounding) at the speed of the plain model, and what
    /// `saveToPreset` writes.
    /// - Throws: ``LoRAError/unknownBackbone(_:)``.
    public func mergeLoRA() throws -> Self {
        var weights = namedWeights
        for name in weights.keys where name.hasSuffix("." + WeightName.loraKernelA) {
            let layer = String(name.dropLast(WeightName.loraKernelA.count + 1))
            guard let a = weights[name], let b = weights[layer + "." + WeightName.loraKernelB],
                  var kernel = weights[layer + "." + WeightName.kernel]
            else { continue }
            try kernel.add(a.matmul(b))
            weights[layer + "." + WeightName.kernel] = kernel
            weights[name] = nil
            weights[layer + "." + WeightName.loraKernelB] = nil
        }
        return try rebuilt(with: weights, family: loraFamily(), origin: "\(type(of: self)) merged")
    }

    /// Keras's per-head factors as one low-rank pair of our layout: `a` `[in, heads, rank]` read as
    /// `[in, heads·rank]`, and `b` `[rank, head_dim]` placed on the block diagonal of a
    /// `[heads·rank, heads·head_dim]` matrix, so `(x·A)·B` is exactly Keras's per-head update.
    static func perHeadFactors(a: Tensor, b: Tensor, heads: Int, rank: Int) throws -> (Tensor, Tensor) {
        let inputs = a.shape[0], headDim = b.shape[1]
        var blocks = [Float](repeating: 0, count: heads * rank * heads * headDim)
        let values = b.scalars
        for head in 0..<heads {
            for r in 0..<rank {
                let row = (head * rank + r) * heads * headDim + head * headDim
                for d in 0..<headDim { blocks[row + d] = values[r * headDim + d] }
            }
        }
        return (try a.reshaped([inputs, heads * rank]), try Tensor(shape: [heads * rank, heads * headDim], scalars: blocks))
    }

    private func loraFamily() throws -> any ModelFamily {
        guard let family = ModelFamilies.family(of: self) else { throw LoRAError.unknownBackbone("\(type(of: self))") }
        return family
    }

    /// A backbone of this class and config over `weights`.
    private func rebuilt(with weights: [String: Tensor], family: any ModelFamily, origin: String) throws -> Self {
        let source = WeightSource(store: InMemoryTensorStore(weights, label: origin), origin: origin)
        let backbone = try family.makeBackbone(kerasHubConfig: family.kerasHubConfig(of: self), file: origin, weights: source)
        guard let typed = backbone as? Self else { throw LoRAError.unknownBackbone("\(type(of: backbone))") }
        return typed
    }
}
