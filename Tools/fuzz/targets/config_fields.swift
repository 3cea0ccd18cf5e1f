// Backbone config validation with random integer fields: the input fills every size field of a
// transformers config (vocab_size, hidden_size, num_hidden_layers, num_attention_heads,
// intermediate_size, max_position_embeddings, type_vocab_size; GPT-2's n_embd/n_layer/n_head/
// n_inner/n_positions) with arbitrary 64-bit integers, 0, -1, null or powers of two, so that the
// bounds are met far more often than random JSON would. Reading the sequence length must never
// trap; a config with a size field over 2^24 or negative must be refused before anything is
// allocated (the run's RSS limit would catch an allocation); a config whose sizes are all at most
// 64 (and at most 4 layers) is built with random weights and run once.
import Foundation
@testable import KerasHubModels
import KerasHubTensor
@testable import KerasHubPresets

private func value(_ script: inout [UInt8].Iterator) -> JSONValue {
    let pick = script.next() ?? 0
    func wide() -> Int {
        var bits: UInt64 = 0
        for _ in 0..<8 { bits = bits << 8 | UInt64(script.next() ?? 0) }
        return Int(truncatingIfNeeded: bits)
    }
    switch pick % 8 {
    case 0: return .null
    case 1: return .number(Double(wide()))
    case 2: return .number(Double(1 << Int((script.next() ?? 0) % 63)))
    case 3: return .number(Double(Int(script.next() ?? 0) - 2))
    case 4: return .number(Double(Int(script.next() ?? 0) % 17 * 4))
    case 5: return .number(Double(wide() % 100_000))
    default: return .number(Double(1 + Int(script.next() ?? 0) % 64))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigFields(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var script = [UInt8](fuzzInput(start, count)).makeIterator()
    let types = ["bert", "distilbert", "gpt2", "roberta", "xlm-roberta"]
    let modelType = types[Int(script.next() ?? 0) % types.count]
    var members: [String: JSONValue] = ["model_type": .string(modelType)]
    let fields: [String]
    switch modelType {
    case "gpt2": fields = ["vocab_size", "n_embd", "n_layer", "n_head", "n_inner", "n_positions"]
    case "distilbert": fields = ["vocab_size", "dim", "n_layers", "n_heads", "hidden_dim", "max_position_embeddings"]
    default: fields = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                       "max_position_embeddings", "type_vocab_size", "pad_token_id"]
    }
    for field in fields { members[field] = value(&script) }
    let file = "fuzz/config.json"
    guard let family = ModelFamilies.family(modelType: modelType) else {
        fuzzRequire(false, "no family for \(modelType)")
        return 0
    }
    _ = try? family.maxSequenceLength(transformersConfig: members, file: file)
    let sizes = fields.filter { $0 != "pad_token_id" }.compactMap { members[$0]?.doubleValue }
    let hostile = sizes.contains { $0 < 0 || $0 > Double(1 << 24) }
    // Small enough to build and run in well under a second under AddressSanitizer: every size at
    // most 64 and at most 4 layers (64 layers of random weights took 20 s, a harness timeout).
    let layers = ["num_hidden_layers", "n_layers", "n_layer"].compactMap { members[$0]?.doubleValue }
    let small = sizes.allSatisfy { $0 >= 0 && $0 <= 64 } && layers.allSatisfy { $0 <= 4 }
    guard hostile || small else { return 0 }
    do {
        let backbone = try family.makeBackbone(transformersConfig: members, file: file, checkpoint: nil, origin: "random")
        fuzzRequire(!hostile, "a config with a size outside its bound was built: \(members)")
        let length = max(1, min(3, (try? family.maxSequenceLength(transformersConfig: members, file: file)) ?? 1))
        let ids = (0..<length).map { Int32($0 % 2) }
        if let batch = try? TokenBatch(tokenIds: [ids], paddingMask: nil, segmentIds: nil) { _ = try? backbone(batch) }
    } catch {}
    return 0
}
