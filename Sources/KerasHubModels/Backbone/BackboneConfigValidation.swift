import Foundation

/// The checks every backbone config passes before anything is built from it: each size within a
/// bound (so no product of sizes overflows), and the float32 weights it describes within the
/// machine's memory (so a config cannot ask for an allocation that only the kernel refuses).
enum BackboneConfigValidation {
    /// The largest value each size may take: far beyond any published checkpoint (XLM-R's 250,002
    /// tokens, GPT-2 XL's 1,600 wide and 48 deep), small enough that their products fit an `Int`.
    static let limits: [String: Int] = [
        "vocabulary_size": 1 << 24, "num_layers": 1 << 12, "num_heads": 1 << 12, "hidden_dim": 1 << 18,
        "intermediate_dim": 1 << 20, "max_sequence_length": 1 << 20, "num_segments": 1 << 16,
    ]

    /// Throws for the first size that is negative or over its bound, naming its config key, then for
    /// weights larger than the machine's memory.
    /// - Throws: ``ConfigError/invalid(file:reason:)``.
    static func check(_ sizes: KeyValuePairs<String, Int>, file: String) throws {
        for (key, value) in sizes {
            if value < 0 { throw ConfigError.invalid(file: file, reason: "'\(key)' is negative (\(value))") }
            if let limit = limits[key], value > limit {
                throw ConfigError.invalid(file: file, reason: "'\(key)' is \(value), above the limit of \(limit)")
            }
        }
        let size = Dictionary(sizes.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let bytes = estimatedWeightBytes(
            vocabulary: size["vocabulary_size"] ?? 0, positions: size["max_sequence_length"] ?? 0, hidden: size["hidden_dim"] ?? 0,
            intermediate: size["intermediate_dim"] ?? 0, layers: size["num_layers"] ?? 0)
        let memory = ProcessInfo.processInfo.physicalMemory
        if UInt64(bytes) > memory {
            throw ConfigError.invalid(
                file: file, reason: "its float32 weights need about \(gibibytes(bytes)) GiB; this machine has \(gibibytes(Int(clamping: memory))) GiB")
        }
    }

    /// Float32 bytes of a transformer stack of these sizes: token and position embeddings, and per
    /// layer four `hidden x hidden` projections and two `hidden x intermediate` ones (biases and norms
    /// are a rounding error). Within the bounds above the sum cannot overflow.
    static func estimatedWeightBytes(vocabulary: Int, positions: Int, hidden: Int, intermediate: Int, layers: Int) -> Int {
        let perLayer = 4 * hidden * hidden + 2 * hidden * intermediate
        return 4 * ((vocabulary + positions) * hidden + layers * perLayer)
    }

    private static func gibibytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / Double(1 << 30)) }
}
