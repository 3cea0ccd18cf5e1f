// The command line's JSON Lines reader (compiled together with Sources/KerasHubCLI/IO/JSONLines.swift),
// with each line read as `tokenize`/`detokenize`/`encode` would read it.
import Foundation
import KerasHub

/// The CLI's error type (defined in KerasHubCommand.swift, which needs ArgumentParser).
struct CommandFailure: Error {
    let message: String
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    guard let lines = try? JSONLinesInput.parse(data, source: "fuzz.jsonl") else { return 0 }
    for line in lines {
        _ = line.value.stringValue
        _ = line.value.int32Array
        if let batch = try? line.tokenBatch() {
            fuzzRequire(batch.tokenIds.count == batch.batchSize * batch.sequenceLength, "batch shape")
            fuzzRequire(batch.paddingMask.count == batch.tokenIds.count, "mask shape")
        }
        _ = JSONOutput.line(line.value)
    }
    return 0
}
