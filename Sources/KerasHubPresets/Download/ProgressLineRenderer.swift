/// Formats one progress line, e.g.
/// `model.safetensors [##########----------]  45.4 MB / 90.9 MB  50%  12.3 MB/s`.
///
/// Pure formatting with no I/O, so it can be tested without a terminal. Sizes use decimal units
/// (kB, MB, GB) like the hub's web pages. The line never exceeds `width` characters: the bar
/// shrinks first, then the file name is shortened with a leading `…`.
public struct ProgressLineRenderer: Sendable {
    /// The maximum number of characters in a line (the terminal's width).
    public var width: Int

    /// A renderer for lines of at most `width` characters.
    public init(width: Int = 80) {
        self.width = max(width, 20)
    }

    /// The line for `fileName` with `completed` of `total` bytes done at `bytesPerSecond`.
    public func line(fileName: String, completed: Int, total: Int?, bytesPerSecond: Double) -> String {
        let rate = Self.formatBytes(bytesPerSecond.isFinite ? Int(max(bytesPerSecond, 0)) : 0) + "/s"
        // The richest statistics that fit; narrow terminals keep the percentage (or byte count).
        var candidates: [String]
        var fraction: Double?
        if let total, total > 0 {
            let clamped = min(max(Double(completed) / Double(total), 0), 1)
            fraction = clamped
            let percent = "\(Int(clamped * 100))%"
            candidates = ["\(Self.formatBytes(completed)) / \(Self.formatBytes(total))  \(percent)  \(rate)",
                          "\(percent)  \(rate)", percent]
        } else {
            candidates = ["\(Self.formatBytes(completed))  \(rate)", Self.formatBytes(completed)]
        }
        var stats = candidates.first { $0.count <= width - 8 } ?? candidates[candidates.count - 1]
        // Room left for "name [bar]  stats".
        var name = PrintableText.escapingControls(fileName)
        let minimumName = min(name.count, 12)
        var barWidth = 0
        if let fraction {
            barWidth = min(30, width - stats.count - name.count - 5)
            if barWidth < 10 { barWidth = max(0, min(30, width - stats.count - minimumName - 5)) }
            if barWidth >= 5 {
                let filled = Int((fraction * Double(barWidth)).rounded(.down))
                let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
                stats = bar + "  " + stats
            }
        }
        let available = width - stats.count - 1
        if name.count > available {
            name = available > 1 ? "…" + String(name.suffix(available - 1)) : ""
        }
        let line = name.isEmpty ? stats : name + " " + stats
        return String(line.prefix(width))
    }

    /// `bytes` in decimal units with one decimal above 1 kB: `512 B`, `1.5 kB`, `90.9 MB`, `1.2 GB`.
    public static func formatBytes(_ bytes: Int) -> String {
        let units = ["kB", "MB", "GB", "TB"]
        guard bytes >= 1000 else { return "\(max(bytes, 0)) B" }
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
