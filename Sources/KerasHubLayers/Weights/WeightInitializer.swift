import Foundation
import KerasHubTensor

/// How a weight is drawn when a model is built without a checkpoint (`loadWeights: false`),
/// following KerasHub's initializers.
public enum WeightInitializer: Sendable, Equatable {
    /// All zeros (biases, layer-norm beta).
    case zeros
    /// All ones (layer-norm gamma).
    case ones
    /// A normal distribution truncated at two standard deviations (KerasHub's default for kernels
    /// and embeddings, with `standardDeviation` 0.02).
    case truncatedNormal(standardDeviation: Float)

    /// KerasHub's kernel and embedding initializer: truncated normal, standard deviation 0.02.
    public static let kerasHubDefault = WeightInitializer.truncatedNormal(standardDeviation: 0.02)

    /// A tensor of `shape` drawn from this initializer with a deterministic generator.
    func makeTensor(shape: [Int], generator: inout SplitMix64) -> Tensor {
        switch self {
        case .zeros:
            return Tensor(shape: shape, repeating: 0)
        case .ones:
            return Tensor(shape: shape, repeating: 1)
        case .truncatedNormal(let standardDeviation):
            var tensor = Tensor(shape: shape)
            tensor.withUnsafeMutableBufferPointer { values in
                for index in values.indices {
                    var sample: Float
                    repeat { sample = generator.nextStandardNormal() } while abs(sample) > 2
                    values[index] = sample * standardDeviation
                }
            }
            return tensor
        }
    }
}

/// A small, fast, seedable pseudo-random generator (SplitMix64), so random initialisation is
/// reproducible from run to run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A sample of the standard normal distribution (Box-Muller).
    public mutating func nextStandardNormal() -> Float {
        let uniform1 = Double(next() >> 11) * 0x1.0p-53 + 0x1.0p-54
        let uniform2 = Double(next() >> 11) * 0x1.0p-53
        return Float((-2 * log(uniform1)).squareRoot() * cos(2 * Double.pi * uniform2))
    }

    /// A stable 64-bit hash of a string (FNV-1a), to derive one seed per weight name.
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }
}
