import Foundation

/// A one-line progress bar on stderr, shown only when stderr is a terminal (never on a pipe).
final class ProgressBar {
    private let total: Int
    private let label: String
    private let start = Date()

    /// A bar, or `nil` when stderr is not a terminal or there is too little work to show.
    init?(total: Int, label: String) {
        guard Terminal.stderrIsTerminal, total > 1 else { return nil }
        self.total = total
        self.label = label
    }

    /// Redraws the bar for `done` of `total` items.
    func update(_ done: Int) {
        FileHandle.standardError.write(Data("\r\(Self.line(label: label, done: done, total: total, elapsed: Date().timeIntervalSince(start)))".utf8))
    }

    /// Ends the bar's line.
    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// `label [#####-----] done/total percent rate/s`.
    static func line(label: String, done: Int, total: Int, elapsed: TimeInterval, width: Int = 30) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        return "\(label) [\(bar)] \(done)/\(total) \(Int(fraction * 100))% \(String(format: "%.1f", rate))/s"
    }
}

/// A running count of lines done on stderr, for streamed input whose length is not known ahead;
/// shown only when stderr is a terminal.
final class ProgressCounter {
    private let label: String
    private let start = Date()

    /// A counter, or `nil` when stderr is not a terminal.
    init?(label: String) {
        guard Terminal.stderrIsTerminal else { return nil }
        self.label = label
    }

    /// Redraws the count.
    func update(_ done: Int) {
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        FileHandle.standardError.write(Data("\r\(label): \(done) lines \(String(format: "%.1f", rate))/s".utf8))
    }

    /// Ends the counter's line.
    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
