/// Everything that can be wrong with a safetensors file, a sharded checkpoint, or a write.
///
/// Every case names the file (its path) and, where one is involved, the tensor, with the
/// expected and found values, so a message alone tells what to fix.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case unreadableFile(file: String, reason: String)
    /// The file is shorter than the 8-byte header length that starts every safetensors file.
    case fileTooShort(file: String, size: Int)
    /// The header length is larger than the format's limit (100,000,000 bytes).
    case headerTooLarge(file: String, headerLength: UInt64, limit: Int)
    /// The header length points past the end of the file.
    case headerLengthExceedsFile(file: String, headerLength: UInt64, fileSize: Int)
    /// The header bytes are not valid UTF-8.
    case headerNotUTF8(file: String)
    /// The header is not valid JSON.
    case headerNotJSON(file: String, reason: String)
    /// The header is JSON but not an object (or does not start with `{`).
    case headerNotObject(file: String)
    /// The header names a tensor (or `__metadata__`) twice, which the format's reference refuses.
    case duplicateTensorName(file: String, tensor: String)
    /// `__metadata__` is not an object of strings to strings.
    case invalidMetadata(file: String, reason: String)
    /// A tensor entry is not `{"dtype": string, "shape": [int], "data_offsets": [int, int]}`.
    case invalidEntry(file: String, tensor: String, reason: String)
    /// A tensor's dtype is not one of ``SafetensorsDType``.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// A tensor's shape has a negative dimension.
    case negativeDimension(file: String, tensor: String, shape: [Int])
    /// A tensor's element or byte count does not fit in an `Int`.
    case shapeOverflow(file: String, tensor: String, shape: [Int])
    /// `data_offsets` is not two non-negative integers `[begin, end]` with `begin <= end`.
    case invalidDataOffsets(file: String, tensor: String, offsets: [Int])
    /// The byte range does not hold exactly `elementCount * dtype.byteSize` bytes.
    case byteCountMismatch(file: String, tensor: String, offsets: [Int], dtype: SafetensorsDType, shape: [Int], expectedBytes: Int)
    /// A tensor's byte range ends past the data buffer.
    case offsetsPastEnd(file: String, tensor: String, offsets: [Int], bufferSize: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(file: String, first: String, firstOffsets: [Int], second: String, secondOffsets: [Int])
    /// Bytes of the data buffer belong to no tensor (the format forbids holes and trailing bytes).
    case unindexedBytes(file: String, begin: Int, end: Int)
    /// The writer was given a name the format reserves or cannot hold.
    case invalidTensorName(file: String, tensor: String)
    /// Writing or renaming the output failed.
    case writeFailed(file: String, reason: String)
    /// A sharded checkpoint's index could not be read or is malformed.
    case invalidIndex(file: String, reason: String)
    /// A shard named by the index could not be opened or is malformed.
    case invalidShard(index: String, shard: String, reason: String)
    /// The index maps a tensor to a shard that does not contain it.
    case tensorMissingFromShard(index: String, shard: String, tensor: String)
    /// A directory has neither `model.safetensors` nor `model.safetensors.index.json`.
    case noCheckpoint(directory: String)

    /// A message naming the file, the tensor, and expected versus found values.
    public var description: String {
        switch self {
        case .unreadableFile(let file, let reason):
            return "\(file): cannot read file: \(reason)"
        case .fileTooShort(let file, let size):
            return "\(file): file is \(size) bytes, shorter than the 8-byte header length of a safetensors file"
        case .headerTooLarge(let file, let length, let limit):
            return "\(file): header length \(length) exceeds the safetensors limit of \(limit) bytes"
        case .headerLengthExceedsFile(let file, let length, let size):
            return "\(file): header length \(length) needs \(length) bytes after the first 8, but the file is only \(size) bytes"
        case .headerNotUTF8(let file):
            return "\(file): header is not valid UTF-8"
        case .headerNotJSON(let file, let reason):
            return "\(file): header is not valid JSON: \(reason)"
        case .headerNotObject(let file):
            return "\(file): header must be a JSON object starting with '{'"
        case .duplicateTensorName(let file, let tensor):
            return "\(file): header names tensor \"\(tensor)\" twice"
        case .invalidMetadata(let file, let reason):
            return "\(file): __metadata__ must be an object of strings to strings: \(reason)"
        case .invalidEntry(let file, let tensor, let reason):
            return "\(file): tensor '\(tensor)' header entry is invalid: \(reason)"
        case .unknownDType(let file, let tensor, let dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): tensor '\(tensor)' has unknown dtype '\(dtype)' (expected one of \(known))"
        case .negativeDimension(let file, let tensor, let shape):
            return "\(file): tensor '\(tensor)' shape \(shape) has a negative dimension"
        case .shapeOverflow(let file, let tensor, let shape):
            return "\(file): tensor '\(tensor)' shape \(shape) has too many elements to address"
        case .invalidDataOffsets(let file, let tensor, let offsets):
            return "\(file): tensor '\(tensor)' data_offsets \(offsets) must be [begin, end] with 0 <= begin <= end"
        case .byteCountMismatch(let file, let tensor, let offsets, let dtype, let shape, let expected):
            let found = offsets.count == 2 ? offsets[1] - offsets[0] : 0
            return "\(file): tensor '\(tensor)' data_offsets \(offsets) hold \(found) bytes, but \(dtype.rawValue) shape \(shape) needs \(expected)"
        case .offsetsPastEnd(let file, let tensor, let offsets, let size):
            return "\(file): tensor '\(tensor)' data_offsets \(offsets) end past the data buffer of \(size) bytes"
        case .overlappingTensors(let file, let first, let firstOffsets, let second, let secondOffsets):
            return "\(file): tensors '\(first)' \(firstOffsets) and '\(second)' \(secondOffsets) overlap"
        case .unindexedBytes(let file, let begin, let end):
            return "\(file): data bytes [\(begin), \(end)) belong to no tensor (safetensors forbids holes and trailing bytes)"
        case .invalidTensorName(let file, let tensor):
            return "\(file): cannot write a tensor named '\(tensor)' (empty, or the reserved '__metadata__')"
        case .writeFailed(let file, let reason):
            return "\(file): write failed: \(reason)"
        case .invalidIndex(let file, let reason):
            return "\(file): invalid safetensors index: \(reason)"
        case .invalidShard(let index, let shard, let reason):
            return "\(index): shard '\(shard)': \(reason)"
        case .tensorMissingFromShard(let index, let shard, let tensor):
            return "\(index): weight_map puts tensor '\(tensor)' in shard '\(shard)', which does not contain it"
        case .noCheckpoint(let directory):
            return "\(directory): no model.safetensors or model.safetensors.index.json in this directory"
        }
    }
}
