import CKernels
import Foundation

/// An element-wise activation function, named as in model configs.
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// The identity.
    case linear
    /// Exact GELU, `0.5 x (1 + erf(x / sqrt 2))` (transformers `"gelu"`).
    case gelu
    /// Tanh-approximated GELU (transformers `"gelu_new"`, `"gelu_pytorch_tanh"`; KerasHub's BERT).
    case geluApproximate = "gelu_approximate"
    /// `max(0, x)`.
    case relu
    /// Hyperbolic tangent.
    case tanh

    /// Parses an activation name as transformers and Keras configs write it.
    /// Returns `nil` for a name this library does not implement.
    public init?(configName name: String) {
        switch name.lowercased() {
        case "linear", "identity": self = .linear
        case "gelu", "gelu_exact": self = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_approximate", "gelu_tanh": self = .geluApproximate
        case "relu": self = .relu
        case "tanh": self = .tanh
        default: return nil
        }
    }

    /// Applies the activation to every element in place.
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .linear:
            return
        case .gelu, .geluApproximate:
            guard let base = values.baseAddress, let fused else { return }
            let pointer = UncheckedSendable(base)
            let exact = self == .gelu
            Parallel.forEachRange(values.count, minimumPerWorker: 32_768) { range in
                if BLAS.avx512GemmAvailable {
                    khk_activate_avx512(pointer.value + range.lowerBound, range.count, fused.rawValue)
                } else if exact {
                    Kernels.gelu(pointer.value + range.lowerBound, count: range.count)
                } else {
                    Kernels.geluApproximate(pointer.value + range.lowerBound, count: range.count)
                }
            }
        case .relu:
            for index in values.indices { values[index] = max(0, values[index]) }
        case .tanh:
            for index in values.indices { values[index] = tanhf(values[index]) }
        }
    }

    /// The activation applied to every element of a tensor.
    public func callAsFunction(_ tensor: Tensor) -> Tensor {
        var result = tensor
        result.withUnsafeMutableBufferPointer { apply($0) }
        return result
    }
}

extension Kernels {
    /// Exact GELU in place, `0.5 x (1 + erf(x / sqrt 2))`, with ``FastMath/erf(_:)``.
    public static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let inverseSqrt2: Float = 0.70710678118654752440
        for index in 0..<count {
            let x = values[index]
            values[index] = 0.5 * x * (1 + FastMath.erf(x * inverseSqrt2))
        }
    }

    /// Tanh-approximated GELU in place, `0.5 x (1 + tanh(y))` with `y = sqrt(2/pi) (x + 0.044715 x^3)`,
    /// computed as the identical `x / (1 + e^(-2y))` with ``FastMath/exp(_:)``.
    public static func geluApproximate(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let twoSqrt2OverPi: Float = 2 * 0.79788456080286535588
        for index in 0..<count {
            let x = values[index]
            let y = twoSqrt2OverPi * (x + 0.044715 * x * x * x)
            values[index] = x / (1 + FastMath.exp(-y))
        }
    }
}
