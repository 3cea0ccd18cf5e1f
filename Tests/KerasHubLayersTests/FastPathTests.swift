import Foundation
@testable import KerasHubLayers
import KerasHubTensor
import Testing

/// The internal fast paths (parallel attention, single-row GEMV, fused residual + norm) against
/// the plain-loop references.
@Suite struct FastPathTests {
    @Test(arguments: [false, true])
    func parallelAttentionMatchesReference(causal: Bool) throws {
        // 4 heads of 16 over 64 positions: enough work for the (sequence, head)-parallel path.
        let hidden = 64, length = 64, batch = 3
        let layer = try MultiHeadAttention(
            hiddenDim: hidden, numHeads: 4,
            weights: WeightSource(store: InMemoryTensorStore(attentionWeights(hidden: hidden, seed: 40)), origin: "test"))
        let x = randomTensor([batch, length, hidden], seed: 41)
        // Sequence 0 unpadded, 1 with trailing padding, 2 with holes.
        var mask = [Bool](repeating: true, count: batch * length)
        for position in 50..<length { mask[length + position] = false }
        for position in stride(from: 1, to: length, by: 3) { mask[2 * length + position] = false }
        let fast = try layer(x, paddingMask: mask, causal: causal)
        let reference = try referenceAttention(layer, x, mask: mask, causal: causal)
        #expect(maxDifference(fast, reference) < 1e-4)
        let unmasked = try layer(x, causal: causal)
        #expect(maxDifference(unmasked, try referenceAttention(layer, x, mask: nil, causal: causal)) < 1e-4)
    }

    @Test func singleRowDenseMatchesManyRows() throws {
        let dense = try Dense(kernel: randomTensor([40, 30], seed: 50), bias: randomTensor([30], seed: 51), activation: .gelu)
        let x = randomTensor([1, 1, 40], seed: 52)
        let one = try dense(x)
        let two = try dense(Tensor(shape: [2, 40], scalars: x.scalars + x.scalars))
        #expect(one.shape == [1, 1, 30])
        #expect(maxDifference(one, try Tensor(shape: [1, 1, 30], scalars: Array(two.scalars.prefix(30)))) < 1e-5)
        let noBias = try Dense(kernel: dense.kernel, bias: nil)
        let expected = try x.reshaped([1, 40]).matmul(dense.kernel)
        #expect(maxDifference(try noBias(x).reshaped([1, 30]), expected) < 1e-5)
    }
}
