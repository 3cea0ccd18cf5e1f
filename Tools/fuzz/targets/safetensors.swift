// Safetensors header parser (with every tensor read back) and the sharded index parser.
import Foundation
@testable import KerasHubTensor

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    if let file = try? SafetensorsFile(data: data, label: "fuzz.safetensors") {
        for name in file.tensorNames {
            guard let info = file.entries[name] else { fuzzRequire(false, "listed tensor \(name) has no entry"); continue }
            // Skip only the conversion of huge (validated, in-bounds) tensors to keep executions fast.
            if info.elementCount > 1 << 20 { continue }
            do {
                let tensor = try file.tensor(named: name)
                fuzzRequire(tensor.shape == info.shape, "shape of \(name)")
            } catch {
                fuzzRequire(false, "validated tensor \(name) unreadable: \(error)")
            }
        }
    }
    _ = try? ShardedSafetensors.parseIndex(data, file: "fuzz.index.json")
    return 0
}
