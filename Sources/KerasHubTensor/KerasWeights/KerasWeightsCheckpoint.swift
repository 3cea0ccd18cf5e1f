import Foundation

/// The weights files of a KerasHub preset, as `save_to_preset` names them.
public enum KerasWeightsCheckpoint {
    /// A backbone's single file, `model.weights.h5`.
    public static let modelFileName = "model.weights.h5"
    /// A sharded backbone's index, `model.weights.json` (shards `model_00000.weights.h5`…).
    public static let modelIndexFileName = "model.weights.json"
    /// A task's head weights, `task.weights.h5`.
    public static let taskFileName = "task.weights.h5"

    /// The backbone weights of `directory`: `model.weights.h5`, else the shards of
    /// `model.weights.json` (KerasHub's order), or `nil` when it has neither.
    /// - Returns: the store and the file to name in messages.
    /// - Throws: ``KerasWeightsError`` when the file that exists cannot be opened.
    public static func openModel(directory: URL) throws -> (store: any TensorStore, origin: String)? {
        let single = directory.appendingPathComponent(modelFileName)
        if FileManager.default.fileExists(atPath: single.path) {
            return (try KerasWeightsFile(contentsOf: single), single.path)
        }
        let index = directory.appendingPathComponent(modelIndexFileName)
        if FileManager.default.fileExists(atPath: index.path) {
            return (try ShardedKerasWeights(indexURL: index), index.path)
        }
        return nil
    }
}
