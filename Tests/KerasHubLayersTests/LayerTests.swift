import Foundation
@testable import KerasHubLayers
import KerasHubTensor
import Testing

func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    // swiftlint:disable:next force_try
    return try! Tensor(shape: shape, scalars: (0..<count).map { _ in generator.nextStandardNormal() * scale })
}

func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
}

/// Random weights for one attention layer, with non-zero biases.
func attentionWeights(hidden: Int, seed: UInt64) -> [String: Tensor] {
    var tensors: [String: Tensor] = [:]
    for (index, name) in ["query", "key", "value", "attention_output"].enumerated() {
        tensors["\(name).kernel"] = randomTensor([hidden, hidden], seed: seed + UInt64(index), scale: 0.3)
        tensors["\(name).bias"] = randomTensor([hidden], seed: seed + 10 + UInt64(index), scale: 0.3)
    }
    return tensors
}

/// Attention written out with plain loops, as the reference.
func referenceAttention(_ layer: MultiHeadAttention, _ x: Tensor, mask: [Bool]?, causal: Bool) throws -> Tensor {
    let batch = x.shape[0], length = x.shape[1], hidden = layer.hiddenDim, headDim = layer.headDim
    let q = try layer.query(x), k = try layer.key(x), v = try layer.value(x)
    var context = Tensor(shape: [batch, length, hidden])
    for b in 0..<batch {
        for h in 0..<layer.numHeads {
            for i in 0..<length {
                var scores = [Double](repeating: -.infinity, count: length)
                for j in 0..<length where (!causal || j <= i) && (mask?[b * length + j] ?? true) {
                    var dot = 0.0
                    for d in 0..<headDim { dot += Double(q[b, i, h * headDim + d]) * Double(k[b, j, h * headDim + d]) }
                    scores[j] = dot / Double(headDim).squareRoot()
                }
                let top = scores.max()!
                let exps = scores.map { $0 == -.infinity ? 0 : exp($0 - top) }
                let total = exps.reduce(0, +)
                for d in 0..<headDim {
                    var sum = 0.0
                    for j in 0..<length { sum += exps[j] / total * Double(v[b, j, h * headDim + d]) }
                    context[b, i, h * headDim + d] = Float(sum)
                }
            }
        }
    }
    return try layer.output(context)
}

@Suite struct LayerTests {
    @Test func denseMatchesLoopsWithBiasAndActivation() throws {
        let kernel = randomTensor([5, 3], seed: 1), bias = randomTensor([3], seed: 2)
        let dense = try Dense(kernel: kernel, bias: bias, activation: .relu)
        let x = randomTensor([2, 4, 5], seed: 3)
        let y = try dense(x)
        #expect(y.shape == [2, 4, 3])
        for b in 0..<2 { for t in 0..<4 { for o in 0..<3 {
            var sum = bias[o]
            for i in 0..<5 { sum += x[b, t, i] * kernel[i, o] }
            #expect(abs(y[b, t, o] - max(0, sum)) < 1e-5)
        } } }
        #expect(throws: TensorError.self) { try dense(randomTensor([2, 4], seed: 4)) }
        #expect(throws: TensorError.self) { try Dense(kernel: kernel, bias: randomTensor([5], seed: 5)) }
    }

    @Test(arguments: [false, true])
    func attentionMatchesReference(causal: Bool) throws {
        let hidden = 30, heads = 3  // head width 10: not a power of two
        let weights = WeightSource(store: InMemoryTensorStore(attentionWeights(hidden: hidden, seed: 10)), origin: "test")
        let layer = try MultiHeadAttention(hiddenDim: hidden, numHeads: heads, weights: weights)
        let x = randomTensor([2, 5, hidden], seed: 20)
        let mask = [true, true, true, false, false, true, true, true, true, true]
        let result = try layer(x, paddingMask: mask, causal: causal)
        let expected = try referenceAttention(layer, x, mask: mask, causal: causal)
        #expect(maxDifference(result, expected) < 1e-4)
    }

    @Test func cachedDecodingEqualsFullCausalPass() throws {
        let hidden = 24, heads = 4
        let weights = WeightSource(store: InMemoryTensorStore(attentionWeights(hidden: hidden, seed: 30)), origin: "test")
        let layer = try MultiHeadAttention(hiddenDim: hidden, numHeads: heads, weights: weights)
        let x = randomTensor([2, 6, hidden], seed: 40)
        let full = try layer(x, causal: true)
        var cache: AttentionCache? = AttentionCache(batchSize: 2, capacity: 8, hiddenDim: hidden)
        // A prompt of three positions, then one position at a time.
        var pieces = [try layer(x.slicePositions(0..<3), causal: true, cache: &cache)]
        for position in 3..<6 {
            pieces.append(try layer(x.slicePositions(position..<(position + 1)), causal: true, cache: &cache))
        }
        #expect(cache?.length == 6)
        for (index, range) in [0..<3, 3..<4, 4..<5, 5..<6].enumerated() {
            #expect(maxDifference(pieces[index], try full.slicePositions(range)) < 1e-5)
        }
        var small: AttentionCache? = AttentionCache(batchSize: 2, capacity: 2, hiddenDim: hidden)
        #expect(throws: AttentionError.self) { try layer(x, causal: true, cache: &small) }
    }

    @Test func headsMustDivideWidth() {
        #expect(throws: AttentionError.headsDoNotDivide(hiddenDim: 10, numHeads: 3)) {
            try MultiHeadAttention(hiddenDim: 10, numHeads: 3, weights: .random())
        }
    }

    @Test func weightSourceReportsMissingMisshapenAndUnusedTensors() throws {
        let store = InMemoryTensorStore(["a.kernel": Tensor(shape: [2, 3]), "a.bias": Tensor(shape: [3]), "extra": Tensor(shape: [1])])
        let source = WeightSource(store: store, origin: "ckpt.safetensors")
        #expect(throws: WeightError.shapeMismatch(name: "a.kernel", expected: [3, 3], found: [2, 3], origin: "ckpt.safetensors")) {
            try Dense(inputDim: 3, outputDim: 3, weights: source.scope("a"))
        }
        #expect(throws: WeightError.missingTensor(name: "b.kernel", origin: "ckpt.safetensors")) {
            try Dense(inputDim: 2, outputDim: 3, weights: source.scope("b"))
        }
        _ = try Dense(inputDim: 2, outputDim: 3, weights: source.scope("a"))
        #expect(throws: WeightError.unexpectedTensors(names: ["extra"], origin: "ckpt.safetensors")) {
            try source.checkAllTensorsUsed()
        }
        #expect(WeightError.shapeMismatch(name: "a.kernel", expected: [3, 3], found: [2, 3], origin: "m.safetensors").description
            == "m.safetensors: tensor 'a.kernel' has shape [2, 3], expected [3, 3]")
    }

    @Test func randomWeightsFollowKerasHubInitializers() throws {
        let dense = try Dense(inputDim: 64, outputDim: 64, weights: WeightSource.random(seed: 1).scope("d"))
        let again = try Dense(inputDim: 64, outputDim: 64, weights: WeightSource.random(seed: 1).scope("d"))
        #expect(dense.kernel == again.kernel)
        #expect(dense.bias?.scalars.allSatisfy { $0 == 0 } == true)
        let values = dense.kernel.scalars
        let mean = values.reduce(0, +) / Float(values.count)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
        #expect(abs(mean) < 0.002)
        #expect(std > 0.015 && std < 0.02)  // a normal of std 0.02 truncated at 2 sigma has std ~0.0176
        #expect(values.allSatisfy { abs($0) <= 0.04 })
        let norm = try LayerNorm(dim: 4, epsilon: 1e-5, weights: .random())
        #expect(norm.gamma.scalars == [1, 1, 1, 1] && norm.beta.scalars == [0, 0, 0, 0])
    }

    @Test func embeddingLookupReverseAndPositions() throws {
        let table = randomTensor([7, 4], seed: 50)
        let embedding = try Embedding(inputDim: 7, outputDim: 4, weights: WeightSource(
            store: InMemoryTensorStore(["embeddings": table]), origin: "t"))
        #expect(try embedding([6, 0]).scalars == Array(table.scalars[24..<28] + table.scalars[0..<4]))
        let logits = try embedding.reverse(table)
        #expect(logits.shape == [7, 7])
        #expect(abs(logits[2, 2] - table.scalars[8..<12].map { $0 * $0 }.reduce(0, +)) < 1e-5)
        let positions = try PositionEmbedding(sequenceLength: 3, hiddenDim: 2, weights: WeightSource(
            store: InMemoryTensorStore(["embeddings": Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])]), origin: "t"))
        var x = Tensor(shape: [1, 2, 2])
        try positions.add(to: &x, start: 1)
        #expect(x.scalars == [2, 3, 4, 5])
        var tooLong = Tensor(shape: [1, 3, 2])
        #expect(throws: TensorError.self) { try positions.add(to: &tooLong, start: 1) }
    }
}

extension Tensor {
    /// Positions `range` of a `[batch, length, width]` tensor.
    func slicePositions(_ range: Range<Int>) throws -> Tensor {
        let batch = shape[0], length = shape[1], width = shape[2]
        var scalars = [Float]()
        let all = self.scalars
        for b in 0..<batch {
            scalars += all[((b * length + range.lowerBound) * width)..<((b * length + range.upperBound) * width)]
        }
        return try Tensor(shape: [batch, range.count, width], scalars: scalars)
    }
}
