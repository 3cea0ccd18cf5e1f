import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws a single-line progress bar on standard error, redrawn in place with `\r`, at most ten
/// times a second, and finished with a newline. Create it with ``ifStandardErrorIsTerminal()`` so
/// that nothing is printed when stderr is a pipe or a file.
public final class TerminalProgressReporter: DownloadProgressReporter {
    private struct State {
        var file = ""
        var total: Int?
        var startCompleted = 0
        var started = Date()
        var lastDraw = Date.distantPast
        var active = false
    }

    private let renderer: ProgressLineRenderer
    private let output: @Sendable (String) -> Void
    private let state = Mutex(State())

    /// A reporter drawing lines of at most `width` characters (default: `$COLUMNS`, else 80).
    public convenience init(width: Int? = nil) {
        self.init(width: width) { text in FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// A reporter writing its control text to `output` instead of stderr (for tests).
    init(width: Int?, output: @escaping @Sendable (String) -> Void) {
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }
        renderer = ProgressLineRenderer(width: width ?? columns ?? 80)
        self.output = output
    }

    /// A reporter when standard error is a terminal (`isatty(STDERR_FILENO)`), else `nil`.
    public static func ifStandardErrorIsTerminal() -> TerminalProgressReporter? {
        isatty(STDERR_FILENO) != 0 ? TerminalProgressReporter() : nil
    }

    /// Starts a line for `file`.
    public func begin(file: String, completed: Int, total: Int?) {
        state.withLock {
            $0 = State(file: file, total: total, startCompleted: completed, started: Date(), lastDraw: .distantPast, active: true)
        }
        update(completed: completed)
    }

    /// Redraws the line if a tenth of a second has passed since the last draw.
    public func update(completed: Int) {
        let line: String? = state.withLock { state in
            let now = Date()
            guard state.active, now.timeIntervalSince(state.lastDraw) >= 0.1 || completed == state.total else { return nil }
            state.lastDraw = now
            return render(state, completed: completed, now: now)
        }
        if let line { write("\r" + line + "\u{1B}[K") }
    }

    /// Ends the line.
    public func end() {
        let wasActive = state.withLock { state in
            defer { state.active = false }
            return state.active
        }
        if wasActive { write("\n") }
    }

    private func render(_ state: State, completed: Int, now: Date) -> String {
        let elapsed = now.timeIntervalSince(state.started)
        let rate = elapsed > 0 ? Double(completed - state.startCompleted) / elapsed : 0
        return renderer.line(fileName: state.file, completed: completed, total: state.total, bytesPerSecond: rate)
    }

    private func write(_ text: String) {
        output(text)
    }
}
