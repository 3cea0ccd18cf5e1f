import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub bench load`: time to load a preset's backbone, and the process's peak RSS.
struct BenchLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Time loading a preset's backbone and report the peak resident memory.")

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String

    @Flag(help: "Print one JSON object as the last line on stdout.")
    var json = false

    func run() throws {
        var parameters = 0
        let milliseconds = try BenchClock.milliseconds {
            parameters = try Backbone.fromPreset(preset).parameterCount
        }
        let peak = benchPeakRSSKiB()
        Terminal.error(String(
            format: "load %@: %.1f ms, %d parameters, peak RSS %@", preset, milliseconds, parameters,
            peak.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "unknown"))
        if json {
            var report = BenchReport()
            report.add("benchmark", "load")
            report.add("model", preset)
            report.add("median_ms", milliseconds)
            report.add("load_ms", milliseconds)
            report.add("parameters", parameters)
            report.add("tokens_per_second", Double.nan)
            if let peak { report.add("peak_rss_kib", peak) }
            Terminal.output(report.json)
        }
    }
}
