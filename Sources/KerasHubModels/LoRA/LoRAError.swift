/// What can be wrong when loading, applying or merging LoRA weights.
public enum LoRAError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `.lora.h5` file does not hold what KerasHub's `save_lora_weights` writes for this backbone.
    case invalidFile(file: String, reason: String)
    /// The backbone still holds unmerged LoRA factors where its weights are to be saved.
    case unmergedAdapters(backbone: String)
    /// The backbone's class is not one of a registered family's.
    case unknownBackbone(String)

    /// A message naming the file, the dataset and what was expected.
    public var description: String {
        switch self {
        case .invalidFile(let file, let reason):
            return "\(file): not KerasHub LoRA weights for this backbone: \(reason)"
        case .unmergedAdapters(let backbone):
            return "\(backbone) holds unmerged LoRA factors: call mergeLoRA() before saving it"
        case .unknownBackbone(let name):
            return "\(name) is not a backbone of a registered model family"
        }
    }
}
