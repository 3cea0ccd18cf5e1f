// Shared by every fuzz target (compiled into each by Tools/fuzz/build.sh).
import Foundation

/// Paths of the repository's fixtures: `KH_FUZZ_ROOT` (set by run.sh), else the working directory.
enum FuzzEnvironment {
    static let root: String = ProcessInfo.processInfo.environment["KH_FUZZ_ROOT"] ?? FileManager.default.currentDirectoryPath

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// A scratch directory for this process, made once.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kh-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
}

/// The fuzzer's input as `Data`.
func fuzzInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let start, count > 0 else { return Data() }
    return Data(bytes: start, count: count)
}

/// Stops the run (a finding) when an invariant the library promises does not hold.
func fuzzRequire(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant violated: \(message())") }
}

/// The input's bytes as little-endian `Int32` ids (trailing bytes ignored).
func fuzzIds(_ data: Data) -> [Int32] {
    let bytes = [UInt8](data)
    return stride(from: 0, to: bytes.count - 3, by: 4).map { i in
        Int32(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
    }
}
