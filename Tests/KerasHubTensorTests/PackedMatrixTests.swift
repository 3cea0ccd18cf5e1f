import Foundation
import Testing
@testable import KerasHubTensor

/// The packed-weight GEMM/GEMV (AVX-512) against float64 loops: every edge of the layout (columns
/// not a multiple of 32, depths not a multiple of 256, more rows than one 240-row block, one row),
/// each fused activation, with and without a bias.
@Suite(.enabled(if: BLAS.avx512GemmAvailable, "the packed kernels run only on AVX-512 CPUs"))
struct PackedMatrixTests {
    static func reference(
        _ input: [Float], rows m: Int, _ matrix: Tensor, bias: [Float]?, activation: FusedActivation
    ) -> [Float] {
        let k = matrix.shape[0], n = matrix.shape[1]
        var result = [Float](repeating: 0, count: m * n)
        let weights = matrix.scalars
        for i in 0..<m {
            for j in 0..<n {
                var sum = Double(bias?[j] ?? 0)
                for p in 0..<k { sum += Double(input[i * k + p]) * Double(weights[p * n + j]) }
                switch activation {
                case .none: break
                case .gelu: sum = 0.5 * sum * (1 + Foundation.erf(sum / 2.0.squareRoot()))
                case .geluApproximate:
                    sum = 0.5 * sum * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (sum + 0.044715 * sum * sum * sum)))
                case .relu: sum = max(0, sum)
                }
                result[i * n + j] = Float(sum)
            }
        }
        return result
    }

    @Test(arguments: [(1, 1, 1), (1, 300, 70), (5, 7, 3), (13, 257, 33), (30, 600, 64), (250, 40, 97), (500, 520, 45)])
    func multiplyMatchesLoops(shape: (Int, Int, Int)) throws {
        let (m, k, n) = shape
        let matrix = try Tensor(shape: [k, n], scalars: randomScalars(k * n, seed: 11).map { $0 / 8 })
        let packed = PackedMatrix(packing: matrix)
        #expect(packed.unpacked() == matrix)
        let input = randomScalars(m * k, seed: 12).map { $0 / 4 }
        let bias = randomScalars(n, seed: 13)
        for activation in [FusedActivation.none, .gelu, .geluApproximate, .relu] {
            for withBias in [false, true] {
                var output = [Float](repeating: .nan, count: m * n)
                input.withUnsafeBufferPointer { x in
                    bias.withUnsafeBufferPointer { b in
                        output.withUnsafeMutableBufferPointer { y in
                            packed.multiply(
                                x.baseAddress!, rowCount: m, bias: withBias ? b.baseAddress : nil,
                                activation: activation, into: y.baseAddress!)
                        }
                    }
                }
                let expected = Self.reference(input, rows: m, matrix, bias: withBias ? bias : nil, activation: activation)
                expectClose(output, expected, tolerance: 2e-5)
            }
        }
    }

    @Test func multiplyIsTheSameOnOneThread() throws {
        // The row/column split across workers must not change a single bit of the answer.
        let matrix = try Tensor(shape: [300, 200], scalars: randomScalars(60_000, seed: 21))
        let packed = PackedMatrix(packing: matrix)
        let input = randomScalars(600 * 300, seed: 22)
        func run() -> [Float] {
            var output = [Float](repeating: 0, count: 600 * 200)
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    packed.multiply(x.baseAddress!, rowCount: 600, bias: nil, activation: .none, into: y.baseAddress!)
                }
            }
            return output
        }
        let parallel = run()
        let configured = BLAS.threadCount
        BLAS.threadCount = 1
        let serial = run()
        BLAS.threadCount = configured
        #expect(parallel == serial)
    }

    @Test func activationPassMatchesScalarKernels() {
        var exact = randomScalars(1000, seed: 31).map { $0 * 3 }
        var approximate = exact
        var expectedExact = exact, expectedApproximate = exact
        Kernels.gelu(&expectedExact, count: expectedExact.count)
        Kernels.geluApproximate(&expectedApproximate, count: expectedApproximate.count)
        exact.withUnsafeMutableBufferPointer { Activation.gelu.apply($0) }
        approximate.withUnsafeMutableBufferPointer { Activation.geluApproximate.apply($0) }
        expectClose(exact, expectedExact, tolerance: 1e-6)
        expectClose(approximate, expectedApproximate, tolerance: 1e-6)
    }
}
