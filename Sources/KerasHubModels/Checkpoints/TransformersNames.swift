import KerasHubTensor

/// Helpers shared by the per-model transformers checkpoint mappings.
struct TransformersNames {
    let store: any TensorStore
    let prefix: String

    func has(_ name: String) -> Bool { store.shape(of: prefix + name) != nil }

    func entry(_ name: String, _ transform: TensorTransform = .identity) -> MappedTensorStore.Entry {
        MappedTensorStore.Entry(source: prefix + name, transform: transform)
    }

    /// A PyTorch `Linear` (`weight` `[out, in]`, `bias`) as a Dense `kernel` `[in, out]` and `bias`.
    func linear(_ source: String, as target: String, into entries: inout [String: MappedTensorStore.Entry]) {
        entries[target + ".kernel"] = entry(source + ".weight", .transpose)
        entries[target + ".bias"] = entry(source + ".bias")
    }

    /// A GPT-2 `Conv1D` (`weight` already `[in, out]`, `bias`) as a Dense.
    func conv1D(_ source: String, as target: String, into entries: inout [String: MappedTensorStore.Entry]) {
        entries[target + ".kernel"] = entry(source + ".weight")
        entries[target + ".bias"] = entry(source + ".bias")
    }

    /// A layer norm, stored as `weight`/`bias` (current) or `gamma`/`beta` (TensorFlow-era checkpoints).
    func layerNorm(_ source: String, as target: String, into entries: inout [String: MappedTensorStore.Entry]) {
        let legacy = !has(source + ".weight") && has(source + ".gamma")
        entries[target + ".gamma"] = entry(source + (legacy ? ".gamma" : ".weight"))
        entries[target + ".beta"] = entry(source + (legacy ? ".beta" : ".bias"))
    }

    /// The number of blocks `prefix{i}.…` present in the store (indices 0, 1, … without gaps).
    static func countLayers(in store: any TensorStore, prefix: String) -> Int {
        var indices = Set<Int>()
        for name in store.tensorNames where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            if let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]) { indices.insert(index) }
        }
        var count = 0
        while indices.contains(count) { count += 1 }
        return count
    }
}
