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
        if let config, BenchConfig(name: config) == nil {
            throw ValidationError("unknown --config '\(config)'; known: \(BenchConfig.names.joined(separator: ", "))")
        }
    }

    /// The name shown in reports.
    var label: String { preset ?? config ?? "" }

    /// Builds or loads the backbone.
    func makeBackbone() throws -> Backbone {
        if let config, let known = BenchConfig(name: config) { return try known.makeBackbone() }
        guard let preset else { throw ValidationError("give --preset or --config") }
        return try Backbone.fromPreset(preset, loadWeights: !randomWeights)
    }
}

/// The architectures `--config` knows, with KerasHub's preset shapes.
enum BenchConfig: String, CaseIterable {
    case bertBase = "bert_base_en_uncased"
    case distilBertBase = "distil_bert_base_en_uncased"
    case gpt2Base = "gpt2_base_en"

    static var names: [String] { allCases.map(\.rawValue) }

    init?(name: String) { self.init(rawValue: name) }

    func makeBackbone() throws -> Backbone {
        switch self {
        case .bertBase:
            return try BertBackbone(
                vocabularySize: 30522, numLayers: 12, numHeads: 12, hiddenDim: 768, intermediateDim: 3072)
        case .distilBertBase:
            return try DistilBertBackbone(
                vocabularySize: 30522, numLayers: 6, numHeads: 12, hiddenDim: 768, intermediateDim: 3072)
        case .gpt2Base:
            return try GPT2Backbone(
                vocabularySize: 50257, numLayers: 12, numHeads: 12, hiddenDim: 768, intermediateDim: 3072,
                maxSequenceLength: 1024)
        }
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
