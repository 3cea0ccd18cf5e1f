import KerasHubTensor

/// How `saveToPreset` stores weights.
public enum PresetWeightsFormat: String, Sendable, CaseIterable {
    /// KerasHub's own: `model.weights.h5` (sharded into `model.weights.json` + `model_NNNNN.weights.h5`
    /// above the shard size) and `task.weights.h5`, which Python KerasHub loads.
    case kerasHub = "keras"
    /// Ours: `model.safetensors` and `task.safetensors` under our weight names (read only by this library).
    case safetensors
}

/// Options of `saveToPreset`.
public struct PresetSaveOptions: Sendable {
    /// The weights' storage dtype.
    public var dtype: DType
    /// The weights files' format.
    public var format: PresetWeightsFormat
    /// The largest backbone weights file, in bytes, before the weights are sharded (KerasHub's
    /// `max_shard_size`, 10 GB by default). `nil` never shards.
    public var maxShardBytes: Int?

    /// KerasHub's default: 10 GB shards.
    public static let defaultMaxShardBytes = 10 << 30

    /// Creates options.
    public init(dtype: DType = .float32, format: PresetWeightsFormat = .kerasHub, maxShardBytes: Int? = PresetSaveOptions.defaultMaxShardBytes) {
        self.dtype = dtype
        self.format = format
        self.maxShardBytes = maxShardBytes
    }
}
