import Foundation

/// Output lines collected for one batch and written to stdout with one `write`, so a consumer on
/// a pipe sees each batch as soon as it is done (nothing waits in a stdio buffer) without a
/// system call per line.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    /// Adds one line (its newline is added here).
    mutating func append(_ line: String) {
        bytes.append(contentsOf: line.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes what was collected to stdout and empties the buffer.
    /// - Throws: ``CommandFailure`` when stdout is closed (a consumer that went away).
    mutating func flush() throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(STDOUT_FILENO, base + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandFailure(message: "cannot write to stdout: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
