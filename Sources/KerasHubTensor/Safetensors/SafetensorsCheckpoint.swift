import Foundation

/// Opens the weights of a checkpoint directory, whichever of the two safetensors layouts it uses.
public enum SafetensorsCheckpoint {
    /// The single-file name, `model.safetensors`.
    public static let singleFileName = "model.safetensors"
    /// The sharded index name, `model.safetensors.index.json`.
    public static let indexFileName = "model.safetensors.index.json"

    /// Opens `directory/model.safetensors` when present, else `directory/model.safetensors.index.json`.
    /// - Returns: a ``SafetensorsFile`` or a ``ShardedSafetensors``.
    /// - Throws: ``SafetensorsError/noCheckpoint(directory:)`` when neither file exists, or the
    ///   error of opening the one that does.
    public static func open(directory: URL) throws -> any TensorStore {
        let single = directory.appendingPathComponent(singleFileName)
        if FileManager.default.fileExists(atPath: single.path) {
            return try SafetensorsFile(contentsOf: single)
        }
        let index = directory.appendingPathComponent(indexFileName)
        if FileManager.default.fileExists(atPath: index.path) {
            return try ShardedSafetensors(indexURL: index)
        }
        throw SafetensorsError.noCheckpoint(directory: directory.path)
    }
}

/// Opens the safetensors weights of a checkpoint directory; see ``SafetensorsCheckpoint/open(directory:)``.
public func openSafetensorsCheckpoint(directory: URL) throws -> any TensorStore {
    try SafetensorsCheckpoint.open(directory: directory)
}
