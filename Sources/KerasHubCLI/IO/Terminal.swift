import Foundation

/// Writing to stdout and stderr.
enum Terminal {
    /// Whether stderr is a terminal (progress bars only then).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Writes `message` to stderr as `keras-hub: message`.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("keras-hub: \(message)\n".utf8))
    }

    /// Writes one line to stdout.
    static func output(_ line: String) {
        var line = line
        line.append("\n")
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
