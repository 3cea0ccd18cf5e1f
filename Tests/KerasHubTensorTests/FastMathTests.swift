import Foundation
import Testing
@testable import KerasHubTensor

/// The vectorised approximations against double-precision references over wide input ranges.
@Suite struct FastMathTests {
    /// Evenly spaced points over `range` plus a few special values.
    func grid(_ range: ClosedRange<Double>, count: Int) -> [Float] {
        (0...count).map { Float(range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(count)) }
    }

    @Test func expIsAccurateToAFewUlps() {
        var worst = 0.0
        for x in grid(-87...88, count: 200_000) + [0, -0.0, 1e-8, -1e-8, 1, -1] {
            let expected = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastMath.exp(x)) - expected) / expected)
        }
        #expect(worst < 2e-7, "max relative error \(worst)")
        #expect(FastMath.exp(-100) == 0)
        #expect(FastMath.exp(-.infinity) == 0)
        #expect(FastMath.exp(1000).isFinite)
    }

    @Test func erfIsAccurateEverywhere() {
        var worstAbsolute = 0.0, worstRelative = 0.0
        for x in grid(-10...10, count: 400_000) + [0, 1e-8, -1e-8, 0.84, -0.84, 0.8399999] {
            let expected = Foundation.erf(Double(x))
            let error = abs(Double(FastMath.erf(x)) - expected)
            worstAbsolute = max(worstAbsolute, error)
            if abs(x) < 0.84 && x != 0 { worstRelative = max(worstRelative, error / abs(expected)) }
        }
        #expect(worstAbsolute < 3e-7, "max absolute error \(worstAbsolute)")
        #expect(worstRelative < 1e-6, "max relative error below 0.84: \(worstRelative)")
        #expect(FastMath.erf(0) == 0)
        #expect(FastMath.erf(20) == 1 && FastMath.erf(-20) == -1)
    }

    @Test func geluKernelsMatchDoublePrecisionOverAWideRange() throws {
        let values = grid(-12...12, count: 100_000)
        let input = try Tensor(shape: [values.count], scalars: values)
        let exact = Activation.gelu(input).scalars
        let approximate = Activation.geluApproximate(input).scalars
        var worstExact = 0.0, worstApproximate = 0.0
        for (index, value) in values.enumerated() {
            let x = Double(value)
            let referenceExact = 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
            let referenceApproximate = 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
            // Relative to max(1, |x|): absolute near zero, relative for large inputs.
            worstExact = max(worstExact, abs(Double(exact[index]) - referenceExact) / max(1, abs(x)))
            worstApproximate = max(worstApproximate, abs(Double(approximate[index]) - referenceApproximate) / max(1, abs(x)))
        }
        #expect(worstExact < 5e-7, "gelu: \(worstExact)")
        #expect(worstApproximate < 5e-7, "gelu_approximate: \(worstApproximate)")
    }

    @Test func softmaxKernelMatchesReferenceAndHandlesInfinities() {
        var row = randomScalars(1000, seed: 11).map { $0 * 20 }
        row[3] = -.infinity
        let reference: [Double] = {
            let top = row.map(Double.init).max()!
            let exps = row.map { $0 == -.infinity ? 0 : Foundation.exp(Double($0) - top) }
            let total = exps.reduce(0, +)
            return exps.map { $0 / total }
        }()
        row.withUnsafeMutableBufferPointer { Kernels.softmax($0.baseAddress!, count: $0.count) }
        let worst = zip(row, reference).map { abs(Double($0) - $1) / max($1, 1e-30) }.filter { $0.isFinite }.max()!
        #expect(row[3] == 0)
        #expect(worst < 1e-5, "max relative error \(worst)")
        var masked: [Float] = [-.infinity, -.infinity]
        masked.withUnsafeMutableBufferPointer { Kernels.softmax($0.baseAddress!, count: 2) }
        #expect(masked == [0, 0])
    }

    @Test func reductionsMatchLoops() {
        for count in [0, 1, 15, 16, 17, 100, 768] {
            let values = randomScalars(count, seed: UInt64(count))
            values.withUnsafeBufferPointer { pointer in
                let base = pointer.baseAddress ?? UnsafePointer(bitPattern: 16)!
                #expect(abs(Kernels.sum(base, count: count) - values.reduce(0, +)) < 1e-4)
                #expect(Kernels.maximum(base, count: count) == (values.max() ?? -.infinity))
                let squares = values.map { ($0 - 0.5) * ($0 - 0.5) }.reduce(0, +)
                #expect(abs(Kernels.sumOfSquares(base, count: count, centre: 0.5) - squares) < 1e-3)
            }
        }
    }

    @Test func addLayerNormEqualsAddThenLayerNorm() throws {
        let rows = 300, width = 96  // enough rows to take the parallel path
        let x = try Tensor(shape: [rows, width], scalars: randomScalars(rows * width, seed: 21))
        let residual = try Tensor(shape: [rows, width], scalars: randomScalars(rows * width, seed: 22))
        let gamma = try Tensor(shape: [width], scalars: randomScalars(width, seed: 23))
        let beta = try Tensor(shape: [width], scalars: randomScalars(width, seed: 24))
        let expected = try (x + residual).layerNormalized(gamma: gamma, beta: beta, epsilon: 1e-12)
        var fused = x
        fused.withUnsafeMutableBufferPointer { out in
            residual.withUnsafeBufferPointer { r in
                gamma.withUnsafeBufferPointer { g in
                    beta.withUnsafeBufferPointer { b in
                        Kernels.addLayerNorm(
                            out.baseAddress!, residual: r.baseAddress!, rows: rows,
                            gamma: g.baseAddress!, beta: b.baseAddress!, epsilon: 1e-12, width: width)
                    }
                }
            }
        }
        expectClose(fused.scalars, expected.scalars, tolerance: 1e-6)
    }

    @Test func singleRowMatmulUsesGemvAndMatchesGemm() throws {
        let table = try Tensor(shape: [50, 24], scalars: randomScalars(1200, seed: 31))
        let row = try Tensor(shape: [1, 24], scalars: randomScalars(24, seed: 32))
        let twoRows = try Tensor(shape: [2, 24], scalars: row.scalars + row.scalars)
        let viaGemv = try row.matmul(table, transposeOther: true)
        let viaGemm = try twoRows.matmul(table, transposeOther: true)
        #expect(viaGemv.shape == [1, 50])
        expectClose(viaGemv.scalars, Array(viaGemm.scalars.prefix(50)), tolerance: 1e-5)
        let square = try Tensor(shape: [24, 50], scalars: randomScalars(1200, seed: 33))
        expectClose(try row.matmul(square).scalars, Array(try twoRows.matmul(square).scalars.prefix(50)), tolerance: 1e-5)
    }
}

/// The row-parallel GEMM (AVX-512 kernels where the CPU has them) against OpenBLAS.
@Suite struct RowParallelGemmTests {
    @Test(arguments: [(1, 1, 1), (7, 33, 17), (9, 32, 300), (70, 45, 257), (300, 96, 64), (129, 770, 513)])
    func matchesOpenBLAS(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        // Strided operands: A and C are sub-matrices of wider ones.
        let lda = k + 3, ldb = n + 5, ldc = n + 2
        let a = randomScalars(m * lda, seed: 61), b = randomScalars(k * ldb, seed: 62)
        for beta: Float in [0, 1] {
            let start = randomScalars(m * ldc, seed: 63)
            var expected = start, actual = start
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    expected.withUnsafeMutableBufferPointer { c in
                        BLAS.gemm(m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                                  beta: beta, c: c.baseAddress!, ldc: ldc)
                    }
                    actual.withUnsafeMutableBufferPointer { c in
                        BLAS.rowParallelGemm(m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                                             beta: beta, c: c.baseAddress!, ldc: ldc)
                    }
                }
            }
            // Padding columns of C beyond n must be untouched.
            for row in 0..<m { for column in n..<ldc { #expect(actual[row * ldc + column] == start[row * ldc + column]) } }
            expectClose(actual, expected, tolerance: 1e-4 * Float(max(1, k / 64)))
        }
    }

    @Test(arguments: [(5, 40, 64), (64, 64, 16), (33, 70, 300)])
    func serialGemmWithTransposedBAndAlphaMatchesOpenBLAS(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let lda = k + 1, ldb = k + 7, ldc = n + 1
        let a = randomScalars(m * lda, seed: 71), b = randomScalars(n * ldb, seed: 72)
        var expected = [Float](repeating: 0, count: m * ldc), actual = expected
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                expected.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transposeB: .transposed, m: m, n: n, k: k, alpha: 0.125, a: a.baseAddress!, lda: lda,
                              b: b.baseAddress!, ldb: ldb, c: c.baseAddress!, ldc: ldc)
                }
                actual.withUnsafeMutableBufferPointer { c in
                    BLAS.serialGemm(transposeB: .transposed, m: m, n: n, k: k, alpha: 0.125, a: a.baseAddress!, lda: lda,
                                    b: b.baseAddress!, ldb: ldb, c: c.baseAddress!, ldc: ldc)
                }
            }
        }
        expectClose(actual, expected, tolerance: 1e-5 * Float(max(1, k / 16)))
    }

    @Test(arguments: [MatrixTranspose.none, .transposed])
    func parallelGemvMatchesOpenBLAS(transpose: MatrixTranspose) {
        let rows = 300, columns = 420, lda = columns + 3
        let a = randomScalars(rows * lda, seed: 81)
        let x = randomScalars(transpose == .none ? columns : rows, seed: 82)
        let outputs = transpose == .none ? rows : columns
        for beta: Float in [0, 1] {
            let start = randomScalars(outputs, seed: 83)
            var expected = start, actual = start
            a.withUnsafeBufferPointer { a in
                x.withUnsafeBufferPointer { x in
                    expected.withUnsafeMutableBufferPointer { y in
                        BLAS.gemv(transposeA: transpose, rows: rows, columns: columns, a: a.baseAddress!, lda: lda,
                                  x: x.baseAddress!, beta: beta, y: y.baseAddress!)
                    }
                    actual.withUnsafeMutableBufferPointer { y in
                        BLAS.parallelGemv(transposeA: transpose, rows: rows, columns: columns, a: a.baseAddress!, lda: lda,
                                          x: x.baseAddress!, beta: beta, y: y.baseAddress!)
                    }
                }
            }
            expectClose(actual, expected, tolerance: 1e-4)
        }
    }

    @Test func parallelKernelsLeaveTheConfiguredThreadCount() {
        let configured = BLAS.threadCount
        let a = randomScalars(512 * 256, seed: 91), x = randomScalars(512, seed: 92)
        var y = [Float](repeating: 0, count: 256), c = [Float](repeating: 0, count: 512 * 256)
        a.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { y in
                    BLAS.parallelGemv(transposeA: .transposed, rows: 512, columns: 256, a: a.baseAddress!, lda: 256,
                                      x: x.baseAddress!, y: y.baseAddress!)
                }
            }
            c.withUnsafeMutableBufferPointer { c in
                BLAS.rowParallelGemm(m: 512, n: 256, k: 256, a: a.baseAddress!, lda: 256, b: a.baseAddress!, ldb: 256,
                                     beta: 0, c: c.baseAddress!, ldc: 256)
            }
        }
        #expect(BLAS.threadCount == configured)
        #expect(Parallel.workerCount == max(1, configured))
    }
}
