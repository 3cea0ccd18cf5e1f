import CKernels
extension Kernels {
    /// The sum of `count` floats, accumulated in 16 lanes (vectorised; the order differs from a
    /// left-to-right loop by float rounding only).
    @inline(__always)
    public static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>()
        var index = 0
        let raw = UnsafeRawPointer(values)
        while index + 16 <= count {
            lanes += raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
            index += 16
        }
        var total = lanes.sum()
        while index < count { total += values[index]; index += 1 }
        return total
    }

    /// The sum of `(x - centre)²` over `count` floats (vectorised).
    @inline(__always)
    public static func sumOfSquares(_ values: UnsafePointer<Float>, count: Int, centre: Float) -> Float {
        var lanes = SIMD16<Float>()
        var index = 0
        let raw = UnsafeRawPointer(values)
        let centreLanes = SIMD16<Float>(repeating: centre)
        while index + 16 <= count {
            let centred = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self) - centreLanes
            lanes += centred * centred
            index += 16
        }
        var total = lanes.sum()
        while index < count {
            let centred = values[index] - centre
            total += centred * centred
            index += 1
        }
        return total
    }

    /// The largest of `count` floats (`-infinity` for none); NaNs are ignored.
    @inline(__always)
    public static func maximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        // `pointwiseMax` is not lowered to `maxps`; a compare-and-select is.
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var index = 0
        let raw = UnsafeRawPointer(values)
        while index + 8 <= count {
            let next = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            lanes.replace(with: next, where: next .> lanes)
            index += 8
        }
        var best = lanes.max()
        while index < count { best = Swift.max(best, values[index]); index += 1 }
        return best
    }

    /// Softmax of `row[0 ..< count]` in place (no mask); `-infinity` entries get probability 0 and
    /// a row of only `-infinity` becomes zeros. AVX-512 where ``BLAS/avx512GemmAvailable``.
    @inline(__always)
    public static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        if BLAS.avx512GemmAvailable {
            khk_softmax_avx512(row, count)
            return
        }
        let top = maximum(row, count: count)
        guard top > -Float.infinity else {
            row.update(repeating: 0, count: count)
            return
        }
        for index in 0..<count { row[index] = FastMath.exp(row[index] - top) }
        let inverse = 1 / sum(row, count: count)
        for index in 0..<count { row[index] *= inverse }
    }
}
