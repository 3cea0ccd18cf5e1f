import Foundation
import Testing
@testable import KerasHubTensor

/// Deterministic pseudo-random floats in [-2, 2) for kernel tests.
func randomScalars(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Double(state >> 40) / Double(1 << 24)) * 4 - 2
    }
}

func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= tolerance, "max |diff| \(worst) > \(tolerance)", sourceLocation: sourceLocation)
}

@Suite struct KernelTests {
    @Test(arguments: [(1, 1, 1), (3, 5, 7), (17, 9, 33), (64, 48, 70)])
    func matmulMatchesLoops(shape: (Int, Int, Int)) throws {
        let (m, k, n) = shape
        let a = try Tensor(shape: [m, k], scalars: randomScalars(m * k, seed: 1))
        let b = try Tensor(shape: [k, n], scalars: randomScalars(k * n, seed: 2))
        var expected = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j] += a[i, p] * b[p, j] } } }
        let product = try a.matmul(b)
        #expect(product.shape == [m, n])
        expectClose(product.scalars, expected, tolerance: 1e-4)
        let viaTranspose = try a.matmul(b.transposed(), transposeOther: true)
        expectClose(viaTranspose.scalars, expected, tolerance: 1e-4)
    }

    @Test func matmulFlattensLeadingDimensions() throws {
        let a = try Tensor(shape: [2, 3, 4], scalars: randomScalars(24, seed: 3))
        let b = try Tensor(shape: [4, 5], scalars: randomScalars(20, seed: 4))
        let product = try a.matmul(b)
        #expect(product.shape == [2, 3, 5])
        let flat = try a.reshaped([6, 4]).matmul(b)
        #expect(product.scalars == flat.scalars)
        #expect(throws: TensorError.self) { try a.matmul(a.reshaped([6, 4])) }
    }

    @Test func stridedGemmReadsSubmatricesInPlace() throws {
        // Columns 2..<4 of a [3, 6] matrix times the transpose of columns 2..<4 of another.
        let wide = randomScalars(18, seed: 5)
        var result = [Float](repeating: 0, count: 9)
        wide.withUnsafeBufferPointer { w in
            result.withUnsafeMutableBufferPointer { r in
                BLAS.gemm(transposeB: .transposed, m: 3, n: 3, k: 2,
                          a: w.baseAddress! + 2, lda: 6, b: w.baseAddress! + 2, ldb: 6, c: r.baseAddress!, ldc: 3)
            }
        }
        for i in 0..<3 { for j in 0..<3 {
            let expected = wide[i * 6 + 2] * wide[j * 6 + 2] + wide[i * 6 + 3] * wide[j * 6 + 3]
            #expect(abs(result[i * 3 + j] - expected) < 1e-5)
        } }
    }

    @Test func activationsMatchFormulas() throws {
        let values = randomScalars(101, seed: 6) + [0, -10, 10, 1e-8]
        let input = try Tensor(shape: [values.count], scalars: values)
        expectClose(Activation.gelu(input).scalars, values.map { Float(0.5 * Double($0) * (1 + erf(Double($0) / 2.0.squareRoot()))) })
        expectClose(Activation.geluApproximate(input).scalars, values.map {
            let x = Double($0)
            return Float(0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x))))
        })
        #expect(Activation.relu(input).scalars == values.map { max(0, $0) })
        expectClose(Activation.tanh(input).scalars, values.map { Float(tanh(Double($0))) })
        #expect(Activation.linear(input).scalars == values)
        #expect(Activation(configName: "gelu_new") == .geluApproximate)
        #expect(Activation(configName: "gelu") == .gelu)
        #expect(Activation(configName: "swish") == nil)
    }

    @Test func softmaxWithMaskMatchesReference() throws {
        let scores = try Tensor(shape: [2, 4], scalars: [1, 2, 3, 4, -1, 0, 1000, 999])
        let mask = try Tensor(shape: [2, 4], scalars: [0, 0, -.infinity, 0, 0, 0, 0, -.infinity])
        let result = try scores.softmax(additiveMask: mask)
        func reference(_ row: [Double]) -> [Float] {
            let top = row.max()!
            let exps = row.map { exp($0 - top) }
            let total = exps.reduce(0, +)
            return exps.map { Float($0 / total) }
        }
        let first = reference([1, 2, 4])
        expectClose(result.scalars, [first[0], first[1], 0, first[2]] + reference([-1, 0, 1000]) + [0], tolerance: 1e-6)
        #expect(throws: TensorError.self) { try scores.softmax(additiveMask: Tensor(shape: [4, 2])) }
    }

    @Test func fullyMaskedRowIsZero() {
        var row: [Float] = [1, 2, 3]
        row.withUnsafeMutableBufferPointer { Kernels.maskedSoftmax($0.baseAddress!, count: 3) { _ in false } }
        #expect(row == [0, 0, 0])
    }

    @Test func layerNormMatchesReference() throws {
        let width = 37
        let input = try Tensor(shape: [3, width], scalars: randomScalars(3 * width, seed: 7).map { $0 * 5 + 1 })
        let gamma = try Tensor(shape: [width], scalars: randomScalars(width, seed: 8))
        let beta = try Tensor(shape: [width], scalars: randomScalars(width, seed: 9))
        let result = try input.layerNormalized(gamma: gamma, beta: beta, epsilon: 1e-5)
        var expected = [Float]()
        for row in 0..<3 {
            let values = (0..<width).map { Double(input[row, $0]) }
            let mean = values.reduce(0, +) / Double(width)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for column in 0..<width {
                let normalized = (values[column] - mean) / (variance + 1e-5).squareRoot()
                expected.append(Float(normalized * Double(gamma[column]) + Double(beta[column])))
            }
        }
        expectClose(result.scalars, expected, tolerance: 1e-5)
        #expect(throws: TensorError.shapeMismatch(operation: "layer norm parameter", expected: [width], found: [3])) {
            try input.layerNormalized(gamma: Tensor(shape: [3]), beta: beta, epsilon: 1e-5)
        }
    }

    @Test func gatherRowsAndBounds() throws {
        let table = try Tensor(shape: [4, 2], scalars: [0, 1, 10, 11, 20, 21, 30, 31])
        #expect(try table.gatherRows([3, 0, 3]).scalars == [30, 31, 0, 1, 30, 31])
        #expect(throws: TensorError.indexOutOfRange(index: 4, position: 1, bound: 4)) { try table.gatherRows([1, 4]) }
        #expect(throws: TensorError.indexOutOfRange(index: -1, position: 0, bound: 4)) { try table.gatherRows([-1]) }
    }

    @Test func biasAndResidualAdd() throws {
        var x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        try x.addBias(Tensor(shape: [3], scalars: [10, 20, 30]))
        #expect(x.scalars == [11, 22, 33, 14, 25, 36])
        #expect(try (x + x).scalars == x.scalars.map { $0 * 2 })
        #expect(throws: TensorError.self) { try x.addBias(Tensor(shape: [2])) }
        #expect(throws: TensorError.self) { try x + Tensor(shape: [3, 2]) }
        #expect(try x.transposed().shape == [3, 2])
        #expect(try x.transposed()[2, 1] == 36)
    }
}
