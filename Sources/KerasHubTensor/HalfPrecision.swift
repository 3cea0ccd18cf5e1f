/// Bulk and scalar conversions between float32 and the 16-bit storage formats.
///
/// Byte buffers hold little-endian elements, as safetensors stores them, and may start at any
/// address: elements are read with unaligned loads, never by binding a misaligned pointer.
/// The bulk loops are branch-free integer arithmetic that the compiler vectorises with the
/// baseline instruction set (no F16C needed); they widen tens of millions of values per
/// hundred milliseconds on one core.
public enum HalfPrecision {
    // MARK: Scalars

    /// The float32 value of a float16 bit pattern (exact; NaN payloads are kept).
    @inlinable @inline(__always)
    public static func float(fromFloat16Bits bits: UInt16) -> Float {
        let half = UInt32(bits)
        let sign = (half & 0x8000) << 16
        let exponentAndMantissa = (half & 0x7FFF) << 13
        let exponent = exponentAndMantissa & 0x0F80_0000
        // Normal numbers: rebias the exponent from 15 to 127.
        let normal = exponentAndMantissa &+ 0x3800_0000
        // Infinity and NaN: exponent all ones in both formats.
        let special = exponentAndMantissa &+ 0x7000_0000
        // Zero and subnormals: build 2^-14 * (1 + m/1024) and subtract 2^-14, which is exact.
        let subnormal = (Float(bitPattern: exponentAndMantissa &+ 0x3880_0000) - 6.103515625e-05).bitPattern
        let magnitude = exponent == 0x0F80_0000 ? special : (exponent == 0 ? subnormal : normal)
        return Float(bitPattern: magnitude | sign)
    }

    /// The float32 value of a bfloat16 bit pattern (exact: bfloat16 is float32's top half).
    @inlinable @inline(__always)
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The float16 bit pattern nearest to `value`, ties to even (as PyTorch's `.half()`).
    ///
    /// Values beyond float16's range become infinity, NaN stays NaN (quiet, sign kept).
    @inlinable @inline(__always)
    public static func float16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits & 0x8000_0000) >> 16)
        let magnitude = bits & 0x7FFF_FFFF
        let result: UInt32
        if magnitude >= 0x4780_0000 {
            // 65520 and above round to infinity; NaN becomes a quiet NaN.
            result = magnitude > 0x7F80_0000 ? 0x7E00 : 0x7C00
        } else if magnitude < 0x3880_0000 {
            // Below 2^-14: subnormal or zero. Adding 0.5 lets the FPU round the mantissa (RNE).
            let rounded = Float(bitPattern: magnitude) + 0.5
            result = rounded.bitPattern &- 0x3F00_0000
        } else {
            let mantissaOdd = (magnitude >> 13) & 1
            // Rebias 127 -> 15 and add the rounding bias 0xFFF (+1 when the kept lsb is odd).
            result = (magnitude &+ 0xC800_0FFF &+ mantissaOdd) >> 13
        }
        return UInt16(truncatingIfNeeded: result) | sign
    }

    /// The bfloat16 bit pattern nearest to `value`, ties to even (as PyTorch's `.bfloat16()`).
    ///
    /// NaN stays NaN (quiet, sign kept); large finite values round to infinity.
    @inlinable @inline(__always)
    public static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if bits & 0x7FFF_FFFF > 0x7F80_0000 {
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        }
        let roundingBias = 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    // MARK: Bulk

    /// Widens little-endian float16 elements to float32.
    /// - Precondition: `source.count == 2 * destination.count`.
    public static func widenFloat16(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == 2 * destination.count, "float16 source holds \(source.count) bytes for \(destination.count) elements")
        guard let input = source.baseAddress, let output = destination.baseAddress else { return }
        for index in 0..<destination.count {
            let bits = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 &* index, as: UInt16.self))
            output[index] = float(fromFloat16Bits: bits)
        }
    }

    /// Widens little-endian bfloat16 elements to float32.
    /// - Precondition: `source.count == 2 * destination.count`.
    public static func widenBFloat16(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == 2 * destination.count, "bfloat16 source holds \(source.count) bytes for \(destination.count) elements")
        guard let input = source.baseAddress, let output = destination.baseAddress else { return }
        for index in 0..<destination.count {
            let bits = UInt16(littleEndian: input.loadUnaligned(fromByteOffset: 2 &* index, as: UInt16.self))
            output[index] = float(fromBFloat16Bits: bits)
        }
    }

    /// Narrows float32 elements to little-endian float16, rounding to nearest even.
    /// - Precondition: `destination.count == 2 * source.count`.
    public static func narrowToFloat16(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer) {
        precondition(destination.count == 2 * source.count, "float16 destination holds \(destination.count) bytes for \(source.count) elements")
        guard let input = source.baseAddress, let output = destination.baseAddress else { return }
        for index in 0..<source.count {
            output.storeBytes(of: float16Bits(input[index]).littleEndian, toByteOffset: 2 &* index, as: UInt16.self)
        }
    }

    /// Narrows float32 elements to little-endian bfloat16, rounding to nearest even.
    /// - Precondition: `destination.count == 2 * source.count`.
    public static func narrowToBFloat16(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer) {
        precondition(destination.count == 2 * source.count, "bfloat16 destination holds \(destination.count) bytes for \(source.count) elements")
        guard let input = source.baseAddress, let output = destination.baseAddress else { return }
        for index in 0..<source.count {
            output.storeBytes(of: bfloat16Bits(input[index]).littleEndian, toByteOffset: 2 &* index, as: UInt16.self)
        }
    }

    /// Widens a whole buffer of little-endian float16 bytes (an odd trailing byte is ignored).
    public static func floats(fromFloat16Bytes source: UnsafeRawBufferPointer) -> [Float] {
        let count = source.count / 2
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            widenFloat16(UnsafeRawBufferPointer(rebasing: source.prefix(2 * count)), into: buffer)
            initialized = count
        }
    }

    /// Widens a whole buffer of little-endian bfloat16 bytes (an odd trailing byte is ignored).
    public static func floats(fromBFloat16Bytes source: UnsafeRawBufferPointer) -> [Float] {
        let count = source.count / 2
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            widenBFloat16(UnsafeRawBufferPointer(rebasing: source.prefix(2 * count)), into: buffer)
            initialized = count
        }
    }
}
