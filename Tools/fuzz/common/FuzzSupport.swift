// Shared by every fuzz target (compiled into each by Tools/fuzz/build.sh).
import Foundation
import KerasHubTokenizers

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

/// The promises every tokenizer makes on arbitrary text and arbitrary ids, checked on one input:
/// ids in range, detokenize never traps, padded batches of `sequenceLength` rows, lookups of
/// arbitrary ids and strings. Returns the ids and their detokenized text for target-specific checks.
@discardableResult
func fuzzTokenizerContract<T: TokenizerProtocol>(_ tokenizer: T, text: String, body: Data) -> (ids: [Int32], decoded: String) {
    let ids = tokenizer.tokenize(text)
    for id in ids { fuzzRequire(id >= 0 && Int(id) < tokenizer.vocabularySize, "id \(id) out of range") }
    let decoded = tokenizer.detokenize(ids)
    if let length = tokenizer.sequenceLength {
        for row in tokenizer.tokenize([text, ""]) { fuzzRequire(row.count == length, "batch row of \(row.count), expected \(length)") }
    }
    let raw = fuzzIds(body)
    _ = tokenizer.detokenize(raw)
    for id in raw.prefix(4) { _ = tokenizer.idToToken(id) }
    _ = tokenizer.tokenToId(text)
    return (ids, decoded)
}
