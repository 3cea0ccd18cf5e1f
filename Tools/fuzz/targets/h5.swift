// KerasHub's `.weights.h5` reader (KerasWeightsFile, over libhdf5 with our checks in front of it):
// the input is written to a file and opened; every dataset it lists is read back. Errors are
// fine; traps are findings, and a dataset read back must have the element count its shape says.
import Foundation
import KerasHubTensor

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzH5(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    let url = FuzzEnvironment.scratch.appendingPathComponent("fuzz.weights.h5")
    guard (try? data.write(to: url)) != nil else { return 0 }
    guard let file = try? KerasWeightsFile(contentsOf: url) else { return 0 }
    for name in file.tensorNames.prefix(64) {
        guard let dataset = file.datasets[name] else { continue }
        fuzzRequire(dataset.shape.allSatisfy { $0 >= 0 }, "negative dimension listed for \(name)")
        guard dataset.count <= 1 << 22, let tensor = try? file.tensor(named: name) else { continue }
        fuzzRequire(tensor.shape.reduce(1, *) == dataset.count, "\(name) read back with another element count")
    }
    return 0
}
