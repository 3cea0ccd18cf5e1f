// config.json: layout detection, KerasHub objects and transformers configs, each family's config
// decoding, and (for small configs) building the backbone with random weights and running it once.
import Foundation
import KerasHubModels
@testable import KerasHubPresets

/// Whether every number in `config` is a small non-negative size, so building it is quick.
private func isSmall(_ config: [String: JSONValue]) -> Bool {
    config.values.allSatisfy { value in
        guard let number = value.doubleValue else { return true }
        return number >= 0 && number <= 64 || (number > 0 && number < 1)
    }
}

/// Runs a built backbone once on a two-row batch; errors are fine, traps are findings.
private func exercise(_ build: () throws -> Backbone, maxLength: Int?) {
    guard let backbone = try? build() else { return }
    let length = max(1, min(3, maxLength ?? 1))
    let ids = (0..<length).map { Int32($0 % 2) }
    guard let batch = try? TokenBatch(
        tokenIds: [ids, ids], paddingMask: [Array(repeating: true, count: length), [true] + Array(repeating: false, count: length - 1)]) else {
        fuzzRequire(false, "valid batch rejected")
        return
    }
    _ = try? backbone(batch)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    let file = "fuzz/config.json"
    guard case .object(let members)? = try? JSONFile.parse(data, file: file) else { return 0 }
    if members["class_name"] != nil {
        guard let object = try? KerasHubObject(data: data, file: file),
              let family = ModelFamilies.family(backboneClassName: object.className) else { return 0 }
        let length = try? family.maxSequenceLength(kerasHubConfig: object.config, file: file)
        _ = try? family.kerasHubWeightPaths(kerasHubConfig: object.config, file: file)
        guard isSmall(object.config) else { return 0 }
        exercise({ try family.makeBackbone(kerasHubConfig: object.config, file: file, weights: .random()) }, maxLength: length)
    } else {
        let modelType = members["model_type"]?.stringValue ?? ModelFamilies.inferredModelType(keys: Set(members.keys))
        guard let modelType, let family = ModelFamilies.family(modelType: modelType) else { return 0 }
        let length = try? family.maxSequenceLength(transformersConfig: members, file: file)
        guard isSmall(members) else { return 0 }
        exercise({ try family.makeBackbone(transformersConfig: members, file: file, checkpoint: nil, origin: "random") }, maxLength: length)
    }
    return 0
}
