/// Widening of every safetensors element type to float32.
enum SafetensorsConversion {
    /// Converts `bytes`, little-endian elements of `dtype`, into `destination` as float32.
    /// - Precondition: `bytes.count == destination.count * dtype.byteSize`.
    static func convert(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(bytes.count == destination.count * dtype.byteSize)
        switch dtype {
        case .f32:
            #if _endian(little)
            if let source = bytes.baseAddress, let target = destination.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: bytes.count)
            }
            #else
            widen(bytes, into: destination) { (bits: UInt32) in Float(bitPattern: UInt32(littleEndian: bits)) }
            #endif
        case .f16: HalfPrecision.widenFloat16(bytes, into: destination)
        case .bf16: HalfPrecision.widenBFloat16(bytes, into: destination)
        case .f64: widen(bytes, into: destination) { (bits: UInt64) in Float(Double(bitPattern: UInt64(littleEndian: bits))) }
        case .i64: widen(bytes, into: destination) { (value: Int64) in Float(Int64(littleEndian: value)) }
        case .i32: widen(bytes, into: destination) { (value: Int32) in Float(Int32(littleEndian: value)) }
        case .i16: widen(bytes, into: destination) { (value: Int16) in Float(Int16(littleEndian: value)) }
        case .i8: widen(bytes, into: destination) { (value: Int8) in Float(value) }
        case .u64: widen(bytes, into: destination) { (value: UInt64) in Float(UInt64(littleEndian: value)) }
        case .u32: widen(bytes, into: destination) { (value: UInt32) in Float(UInt32(littleEndian: value)) }
        case .u16: widen(bytes, into: destination) { (value: UInt16) in Float(UInt16(littleEndian: value)) }
        case .u8: widen(bytes, into: destination) { (value: UInt8) in Float(value) }
        case .bool: widen(bytes, into: destination) { (value: UInt8) in value == 0 ? 0 : 1 }
        case .f8E5M2: widen(bytes, into: destination) { (value: UInt8) in HalfPrecision.float(fromFloat16Bits: UInt16(value) << 8) }
        case .f8E4M3: widen(bytes, into: destination) { (value: UInt8) in float(fromFloat8E4M3FN: value) }
        }
    }

    /// Reads each element with an unaligned load and maps it to float32.
    @inline(__always)
    private static func widen<Element: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>, _ transform: (Element) -> Float
    ) {
        guard let source = bytes.baseAddress else { return }
        let stride = MemoryLayout<Element>.size
        for index in 0..<destination.count {
            destination[index] = transform(source.loadUnaligned(fromByteOffset: index &* stride, as: Element.self))
        }
    }

    /// The float32 value of a `float8_e4m3fn` byte: bias 7, no infinities, `S.1111.111` is NaN.
    static func float(fromFloat8E4M3FN bits: UInt8) -> Float {
        let sign: Float = bits & 0x80 == 0 ? 1 : -1
        let exponent = Int((bits >> 3) & 0x0F)
        let mantissa = Float(bits & 0x07)
        if exponent == 0x0F && bits & 0x07 == 0x07 { return sign * .nan }
        if exponent == 0 { return sign * mantissa * 0x1p-9 }
        return sign * (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
    }
}
