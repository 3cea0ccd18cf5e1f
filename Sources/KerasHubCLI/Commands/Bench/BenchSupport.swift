import ArgumentParser
import Foundation
import KerasHub

/// Which model a benchmark runs: a preset (loaded as usual) or a built-in architecture with random
/// weights (`--config`), so that no checkpoint is needed.
struct BenchModelOptions: ParsableArguments {
    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String?

    @Option(help: "A built-in architecture with random weights: \(BenchConfig.names.joined(separator: ", ")).")
    var config: String?

    @Flag(help: "With --preset: build the architecture with random weights instead of reading the checkpoint.")
    var randomWeights = false

    func validate() throws {
        guard (preset == nil) != (config == nil) else {
            throw ValidationError("give exactly one of --preset or --config")
        }
        if let config, BenchConfig.preset(named: config) == nil {
            throw ValidationError("unknown --config '\(config)'; known: \(BenchConfig.names.joined(separator: ", "))")
        }
    }

    /// The name shown in reports.
    var label: String { preset ?? config ?? "" }

    /// Builds or loads the backbone.
    func makeBackbone() throws -> Backbone {
        if let config, let known = BenchConfig.preset(named: config) { return try known.randomBackbone() }
        guard let preset else { throw ValidationError("give --preset or --config") }
        return try Backbone.fromPreset(preset, loadWeights: !randomWeights)
    }
}

/// The architectures `--config` knows: every built-in preset whose registry entry carries its
/// backbone config (KerasHub's shapes), built with random weights.
enum BenchConfig {
    static var names: [String] { PresetRegistry.builtIn.presets.filter { $0.config != nil }.map(\.name) }

    static func preset(named name: String) -> BuiltInPreset? {
        PresetRegistry.builtIn.preset(named: name).flatMap { $0.config == nil ? nil : $0 }
    }
}

/// Timing helpers shared by the bench subcommands.
enum BenchClock {
    /// Milliseconds spent in `body`.
    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
}

/// Median, minimum and maximum of a list of timings.
struct BenchSummary {
    let samples: [Double]

    var median: Double {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
    var minimum: Double { samples.min() ?? 0 }
    var maximum: Double { samples.max() ?? 0 }
}

/// Builds the one-line JSON report.
struct BenchReport {
    private var fields: [(String, String)] = []

    mutating func add(_ key: String, _ value: String) { fields.append((key, jsonString(value))) }
    mutating func add(_ key: String, _ value: Int) { fields.append((key, String(value))) }
    mutating func add(_ key: String, _ value: Double) {
        fields.append((key, value.isFinite ? String(format: "%.6g", value) : "null"))
    }
    mutating func add(_ key: String, _ values: [Double]) {
        fields.append((key, "[" + values.map { String(format: "%.4f", $0) }.joined(separator: ",") + "]"))
    }

    var json: String { "{" + fields.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}" }

    private func jsonString(_ text: String) -> String { JSONOutput.line(.string(text)) }
}

/// Deterministic token ids in `[low, bound)` for benchmark inputs.
func benchTokenIds(count: Int, bound: Int, seed: UInt64) -> [Int32] {
    var generator = SplitMix64(seed: seed)
    let low = min(1000, bound / 2)
    return (0..<count).map { _ in Int32(low + Int(generator.next() % UInt64(bound - low))) }
}

/// The vocabulary size of a backbone.
func benchVocabularySize(_ backbone: Backbone) -> Int { backbone.vocabularySize }

/// The peak resident set size of this process in KiB (`VmHWM` in `/proc/self/status`), if known.
func benchPeakRSSKiB() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}
