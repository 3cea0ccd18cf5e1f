/// Every element type a safetensors header can name, by its header spelling.
///
/// ``SafetensorsFile`` reads all of them; ``SafetensorsFile/tensor(named:)`` converts each to
/// float32 (booleans to 0 and 1).
public enum SafetensorsDType: String, Sendable, CaseIterable {
    /// 64-bit float.
    case f64 = "F64"
    /// 32-bit float.
    case f32 = "F32"
    /// 16-bit IEEE half float.
    case f16 = "F16"
    /// 16-bit brain float.
    case bf16 = "BF16"
    /// 64-bit signed integer.
    case i64 = "I64"
    /// 32-bit signed integer.
    case i32 = "I32"
    /// 16-bit signed integer.
    case i16 = "I16"
    /// 8-bit signed integer.
    case i8 = "I8"
    /// 8-bit unsigned integer.
    case u8 = "U8"
    /// 16-bit unsigned integer.
    case u16 = "U16"
    /// 32-bit unsigned integer.
    case u32 = "U32"
    /// 64-bit unsigned integer.
    case u64 = "U64"
    /// Boolean, one byte per element (0 or 1).
    case bool = "BOOL"
    /// 8-bit float, 4 exponent bits and 3 mantissa bits, finite only (`float8_e4m3fn`).
    case f8E4M3 = "F8_E4M3"
    /// 8-bit float, 5 exponent bits and 2 mantissa bits (`float8_e5m2`).
    case f8E5M2 = "F8_E5M2"

    /// The size of one element in bytes.
    public var byteSize: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool, .f8E4M3, .f8E5M2: return 1
        }
    }
}
