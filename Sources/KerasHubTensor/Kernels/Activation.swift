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
        case .gelu:
            let inverseSqrt2: Float = 0.70710678118654752440
            for index in values.indices {
                let x = values[index]
                values[index] = 0.5 * x * (1 + erff(x * inverseSqrt2))
            }
        case .geluApproximate:
            let sqrt2OverPi: Float = 0.79788456080286535588
            for index in values.indices {
                let x = values[index]
                values[index] = 0.5 * x * (1 + tanhf(sqrt2OverPi * (x + 0.044715 * x * x * x)))
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
