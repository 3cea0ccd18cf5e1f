import Foundation
import Synchronization
import Testing
@testable import KerasHubPresets

@Suite struct ProgressLineRendererTests {
    @Test(arguments: [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1500, "1.5 kB"), (90_868_376, "90.9 MB"),
                      (999_999, "1.0 MB"), (1_234_567_890, "1.2 GB")])
    func bytes(count: Int, text: String) {
        #expect(ProgressLineRenderer.formatBytes(count) == text)
    }

    @Test func aLineWithAKnownTotal() {
        let line = ProgressLineRenderer(width: 100)
            .line(fileName: "model.safetensors", completed: 45_434_188, total: 90_868_376, bytesPerSecond: 12_300_000)
        #expect(line == "model.safetensors [###############---------------]  45.4 MB / 90.9 MB  50%  12.3 MB/s")
    }

    @Test func aLineWithoutATotal() {
        let line = ProgressLineRenderer(width: 80).line(fileName: "vocab.txt", completed: 2048, total: nil, bytesPerSecond: 512)
        #expect(line == "vocab.txt 2.0 kB  512 B/s")
    }

    @Test func completionIsClampedAndRatesAreSane() {
        let line = ProgressLineRenderer(width: 80).line(fileName: "a", completed: 200, total: 100, bytesPerSecond: .infinity)
        #expect(line.contains("100%"))
        #expect(line.hasSuffix("0 B/s"))
    }

    @Test(arguments: [20, 40, 60, 80])
    func linesNeverExceedTheWidth(width: Int) {
        let name = "a/very/long/directory/name/for/a/shard/model-00001-of-00002.safetensors"
        for completed in [0, 1, 5_000_000_000] {
            let line = ProgressLineRenderer(width: width).line(fileName: name, completed: completed, total: 5_000_000_000, bytesPerSecond: 1e8)
            #expect(line.count <= width, "\(line)")
            #expect(line.contains("%"))
        }
    }

    @Test func aNarrowLineShortensTheNameFromTheFront() {
        let line = ProgressLineRenderer(width: 40).line(fileName: "shards/model-00001-of-00002.safetensors", completed: 1, total: 2, bytesPerSecond: 1)
        #expect(line.hasPrefix("…"))
        #expect(line.count <= 40)
    }

    @Test func theTerminalReporterIsOffWhenStderrIsNotATerminal() {
        // Under `swift test` stderr is a pipe or file unless run interactively; either way the
        // factory must agree with isatty.
        let onTerminal = isatty(STDERR_FILENO) != 0
        #expect((TerminalProgressReporter.ifStandardErrorIsTerminal() != nil) == onTerminal)
    }

    @Test func theTerminalReporterRedrawsOneLineAndEndsIt() {
        let written = Mutex("")
        let reporter = TerminalProgressReporter(width: 60) { text in written.withLock { $0 += text } }
        reporter.begin(file: "model.safetensors", completed: 0, total: 1000)
        reporter.update(completed: 10)  // within a tenth of a second of the first draw: skipped
        reporter.update(completed: 1000)  // the final count is always drawn
        reporter.end()
        reporter.end()  // a second end prints nothing

        let text = written.withLock { $0 }
        let draws = text.split(separator: "\r", omittingEmptySubsequences: true)
        #expect(draws.count == 2, "\(text.debugDescription)")
        #expect(draws.first?.contains("0%") == true)
        #expect(draws.last?.contains("100%") == true)
        #expect(text.hasSuffix("\u{1B}[K\n"))
        #expect(!text.dropLast().contains("\n"))
    }
}
