/// The element type a tensor is stored in on disk (or in a preset's config).
///
/// Computation is always float32 (see ``Tensor``); half-precision weights are widened when they
/// are read and narrowed when they are written. The raw values are KerasHub's dtype names, as
/// they appear in `config.json` (`"dtype": "float16"`).
public enum DType: String, Sendable, CaseIterable, Codable {
    /// IEEE 754 single precision (4 bytes).
    case float32
    /// IEEE 754 half precision (2 bytes): 5 exponent bits, 10 mantissa bits.
    case float16
    /// Brain floating point (2 bytes): float32's top 16 bits, 8 exponent bits, 7 mantissa bits.
    case bfloat16

    /// The size of one element in bytes.
    public var byteSize: Int {
        switch self {
        case .float32: return 4
        case .float16, .bfloat16: return 2
        }
    }

    /// The dtype's name in a safetensors header: `"F32"`, `"F16"` or `"BF16"`.
    public var safetensorsName: String { safetensorsDType.rawValue }

    /// The matching safetensors dtype.
    public var safetensorsDType: SafetensorsDType {
        switch self {
        case .float32: return .f32
        case .float16: return .f16
        case .bfloat16: return .bf16
        }
    }

    /// The storage dtype named by a safetensors dtype, or `nil` for one that is not a storage
    /// dtype (`F64`, the integers, `BOOL`, the float8 types).
    public init?(_ safetensorsDType: SafetensorsDType) {
        switch safetensorsDType {
        case .f32: self = .float32
        case .f16: self = .float16
        case .bf16: self = .bfloat16
        default: return nil
        }
    }
}
