/// Branch-free float32 approximations of `exp` and `erf` that the compiler vectorises, for the
/// element-wise kernels (softmax, GELU). Both are tested against double-precision references over
/// wide ranges in `KernelTests` (relative error of `exp` below 2e-7; absolute error of `erf` below
/// 3e-7), well inside the library's 1e-4 parity budget.
public enum FastMath {
    /// `e^x` (Cephes' `expf` polynomial, range-reduced by `ln 2`); exactly 0 below -87.3,
    /// and finite (about 1.7e38) at and above 88.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.0)
        // n = round(x / ln 2) via the 1.5 * 2^23 trick, which leaves n in the low mantissa bits.
        let shifted = clamped * 1.44269504088896341 + 12582912.0
        let n = shifted - 12582912.0
        var r = clamped - n * 0.693359375
        r = r + n * 2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * (r * r) + r + 1
        let exponentBits = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23
        let result = y * Float(bitPattern: exponentBits)
        return x < -87.3 ? 0 : result
    }

    /// The error function. Below |x| = 0.84 an odd polynomial (relative error ~1e-7), above it
    /// `1 - t·P(t)·e^(-x²)` with `t = 1 / (1 + 0.3275911 |x|)` (Abramowitz and Stegun 7.1.26,
    /// absolute error 1.5e-7); ±1 beyond |x| = 4.
    @inline(__always)
    public static func erf(_ x: Float) -> Float {
        let a = Swift.min(abs(x), 4)
        // Small |x|: Maclaurin series of erf(x) / x in x², 11 terms (truncation < 1e-9 on [0, 0.84]).
        let s = a * a
        var q: Float = 1.4807192815879218e-08
        q = q * s - 1.6365844691234924e-07
        q = q * s + 1.6462114365889246e-06
        q = q * s - 1.492565035840625e-05
        q = q * s + 0.00012055332981789664
        q = q * s - 0.0008548327023450852
        q = q * s + 0.005223977625442188
        q = q * s - 0.026866170645131252
        q = q * s + 0.11283791670955126
        q = q * s - 0.37612638903183754
        q = q * s + 1.1283791670955126
        let small = a * q
        let t = 1 / (1 + 0.3275911 * a)
        var p: Float = 1.061405429
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let large = 1 - p * t * exp(-s)
        let magnitude = a < 0.84 ? small : large
        return x < 0 ? -magnitude : magnitude
    }
}

extension Kernels {
    /// `values[i] = exp(values[i])` in place.
    public static func exp(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { values[index] = FastMath.exp(values[index]) }
    }
}
