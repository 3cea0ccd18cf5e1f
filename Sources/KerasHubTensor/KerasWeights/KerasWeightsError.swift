/// Everything that can be wrong with a Keras `.weights.h5` file, a sharded `model.weights.json`,
/// or a write of either.
///
/// Every case names the file and, where one is involved, the dataset (its HDF5 path, such as
/// `layers/dense/vars/0`), so a message alone tells what to fix.
public enum KerasWeightsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// HDF5 could not open the file: missing, unreadable, truncated, or not HDF5.
    case unreadableFile(file: String, reason: String)
    /// The file has a soft, external or user-defined link; Keras writes only groups and datasets,
    /// and following such a link could read outside the preset.
    case forbiddenLink(file: String, path: String, kind: String)
    /// A dataset keeps its values in another file (HDF5 external storage or a virtual dataset).
    case externalStorage(file: String, dataset: String)
    /// A dataset is compressed or filtered, which Keras never writes.
    case filteredDataset(file: String, dataset: String)
    /// A dataset's element type is not one Keras stores weights in.
    case unsupportedType(file: String, dataset: String, type: String)
    /// A dataset's shape is not simple, has a dimension out of range, or overflows a count.
    case invalidShape(file: String, dataset: String, reason: String)
    /// A dataset claims more values than the file stores for it.
    case storageTooSmall(file: String, dataset: String, expectedBytes: Int, storedBytes: Int)
    /// Reading a dataset's values failed.
    case unreadableDataset(file: String, dataset: String, reason: String)
    /// The store has no dataset of that path.
    case missingDataset(file: String, dataset: String)
    /// A sharded store's `model.weights.json` is unreadable or malformed.
    case invalidIndex(file: String, reason: String)
    /// The index names a shard that is not a plain file name in the index's directory.
    case invalidShardName(index: String, shard: String)
    /// A shard named by the index failed to open.
    case invalidShard(index: String, shard: String, reason: String)
    /// Two shards hold the same dataset.
    case duplicateDataset(index: String, dataset: String, shards: [String])
    /// A weight's path cannot be written (empty components, `.` or `..`, or it collides with another).
    case invalidDatasetPath(file: String, dataset: String)
    /// Creating, writing or renaming the output failed.
    case writeFailed(file: String, reason: String)

    /// A message naming the file and the dataset.
    public var description: String {
        switch self {
        case .unreadableFile(let file, let reason):
            return "\(file): cannot read as a Keras weights file (HDF5): \(reason)"
        case .forbiddenLink(let file, let path, let kind):
            return "\(file): '\(path)' is a \(kind) link; Keras weights files hold only groups and datasets"
        case .externalStorage(let file, let dataset):
            return "\(file): dataset '\(dataset)' keeps its values outside the file (external or virtual storage)"
        case .filteredDataset(let file, let dataset):
            return "\(file): dataset '\(dataset)' is compressed or filtered; Keras writes plain datasets"
        case .unsupportedType(let file, let dataset, let type):
            return "\(file): dataset '\(dataset)' has element type \(type); expected float32, float16, bfloat16, float64 or an integer"
        case .invalidShape(let file, let dataset, let reason):
            return "\(file): dataset '\(dataset)': \(reason)"
        case .storageTooSmall(let file, let dataset, let expected, let stored):
            return "\(file): dataset '\(dataset)' needs \(expected) bytes for its shape but the file stores \(stored)"
        case .unreadableDataset(let file, let dataset, let reason):
            return "\(file): cannot read dataset '\(dataset)': \(reason)"
        case .missingDataset(let file, let dataset):
            return "\(file): no dataset '\(dataset)'"
        case .invalidIndex(let file, let reason):
            return "\(file): invalid sharded weights index: \(reason)"
        case .invalidShardName(let index, let shard):
            return "\(index): shard '\(shard)' is not a file name in the index's directory (no '/', no '..', ending .weights.h5)"
        case .invalidShard(let index, let shard, let reason):
            return "\(index): shard '\(shard)': \(reason)"
        case .duplicateDataset(let index, let dataset, let shards):
            return "\(index): dataset '\(dataset)' is in more than one shard: \(shards.joined(separator: ", "))"
        case .invalidDatasetPath(let file, let dataset):
            return "\(file): cannot write dataset path '\(dataset)'"
        case .writeFailed(let file, let reason):
            return "\(file): cannot write: \(reason)"
        }
    }
}
