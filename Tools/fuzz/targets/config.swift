// config.json: layout detection, KerasHub objects and transformers configs, each family's config
// decoding, and (for small configs) building the backbone with random weights and running it once.
import Foundation
import KerasHubModels
@testable import KerasHubPresets

/// Builds and runs a backbone when the config is small enough to do so quickly; errors are fine,
/// traps are findings.
private func exercise(vocabulary: Int, layers: Int, dims: [Int], maxLength: Int, build: () throws -> Backbone) {
    guard vocabulary <= 256, layers <= 2, dims.allSatisfy({ $0 <= 64 }), maxLength <= 64 else { return }
    guard let backbone = try? build() else { return }
    let length = max(1, min(3, maxLength))
    let ids = (0..<length).map { Int32($0 % max(1, vocabulary)) }
    guard let batch = try? TokenBatch(tokenIds: [ids, ids], paddingMask: [Array(repeating: true, count: length), [true] + Array(repeating: false, count: length - 1)]) else {
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
              let family = BackboneFamily(className: object.className) else { return 0 }
        switch family {
        case .bert:
            guard let c = try? object.decodeConfig(BertBackboneConfig.self, file: file) else { return 0 }
            exercise(vocabulary: c.vocabularySize, layers: c.numLayers, dims: [c.hiddenDim, c.intermediateDim, c.numHeads, c.numSegments],
                     maxLength: c.maxSequenceLength) { try family.build(kerasHubConfig: object, file: file, weights: .random()) }
        case .distilBert:
            guard let c = try? object.decodeConfig(DistilBertBackboneConfig.self, file: file) else { return 0 }
            exercise(vocabulary: c.vocabularySize, layers: c.numLayers, dims: [c.hiddenDim, c.intermediateDim, c.numHeads],
                     maxLength: c.maxSequenceLength) { try family.build(kerasHubConfig: object, file: file, weights: .random()) }
        case .gpt2:
            guard let c = try? object.decodeConfig(GPT2BackboneConfig.self, file: file) else { return 0 }
            exercise(vocabulary: c.vocabularySize, layers: c.numLayers, dims: [c.hiddenDim, c.intermediateDim, c.numHeads],
                     maxLength: c.maxSequenceLength) { try family.build(kerasHubConfig: object, file: file, weights: .random()) }
        }
    } else if members["model_type"] != nil {
        guard let config = try? TransformersConfig(data: data, file: file),
              let family = BackboneFamily.allCases.first(where: { $0.modelType == config.modelType }) else { return 0 }
        let build = { try family.build(transformersConfig: config, file: file, checkpoint: nil, origin: "random") }
        switch family {
        case .bert:
            guard let c = try? config.bertConfig(file: file) else { return 0 }
            exercise(vocabulary: c.vocabularySize, layers: c.numLayers, dims: [c.hiddenDim, c.intermediateDim, c.numHeads, c.numSegments],
                     maxLength: c.maxSequenceLength, build: build)
        case .distilBert:
            guard let c = try? config.distilBertConfig(file: file) else { return 0 }
            exercise(vocabulary: c.vocabularySize, layers: c.numLayers, dims: [c.hiddenDim, c.intermediateDim, c.numHeads],
                     maxLength: c.maxSequenceLength, build: build)
        case .gpt2:
            guard let c = try? config.gpt2Config(file: file) else { return 0 }
            exercise(vocabulary: c.vocabularySize, layers: c.numLayers, dims: [c.hiddenDim, c.intermediateDim, c.numHeads],
                     maxLength: c.maxSequenceLength, build: build)
        }
    }
    return 0
}
