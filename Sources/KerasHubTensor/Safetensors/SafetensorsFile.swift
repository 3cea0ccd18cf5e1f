import Foundation

/// One safetensors file, memory-mapped and validated when opened.
///
/// Opening reads only the header; tensor bytes are paged in by the OS when a tensor is read.
/// The struct is a cheap, `Sendable` handle: copies share one mapping, which is released when
/// the last copy goes away. (As with any mapping, truncating the file while it is open is
/// undefined behaviour; the loaders never do.)
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: url)
/// let weight = try file.tensor(named: "encoder.layer.0.attention.self.query.weight")
/// ```
public struct SafetensorsFile: TensorStore {
    /// The file this store reads (for in-memory bytes, a file URL built from the label).
    public let url: URL
    /// The name used in error messages: the file's path, or the label of in-memory bytes.
    public let label: String
    /// The `__metadata__` object of the header; empty when the header has none.
    public let metadata: [String: String]
    /// Every tensor's validated header entry, by name.
    public let entries: [String: SafetensorsTensorInfo]

    private let bytes: MappedBytes
    private let dataStart: Int

    /// Memory-maps and validates a safetensors file.
    /// - Throws: ``SafetensorsError`` naming the file and, where it applies, the tensor.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: MappedBytes(mapping: url), url: url, label: url.path)
    }

    /// Validates safetensors bytes held in memory (for example, a download not yet on disk).
    /// - Parameter label: the name used in error messages, such as the source URL.
    /// - Throws: ``SafetensorsError``.
    public init(data: Data, label: String) throws {
        try self.init(bytes: MappedBytes(copying: data), url: URL(fileURLWithPath: label), label: label)
    }

    private init(bytes: MappedBytes, url: URL, label: String) throws {
        let header = try bytes.withBytes { try SafetensorsHeader.parse($0, file: label) }
        self.url = url
        self.label = label
        self.bytes = bytes
        self.metadata = header.metadata
        self.entries = header.entries
        self.dataStart = header.dataStart
    }

    /// Every tensor name, sorted.
    public var tensorNames: [String] { entries.keys.sorted() }

    /// The shape of the named tensor, or `nil` when the file has no such tensor.
    public func shape(of name: String) -> [Int]? { entries[name]?.shape }

    /// The stored element type of the named tensor, or `nil` when the file has no such tensor.
    public func dtype(of name: String) -> SafetensorsDType? { entries[name]?.dtype }

    /// The safetensors dtype name of the tensor (`"F32"`, `"I64"`…).
    public func storageDType(of name: String) -> String? { dtype(of: name)?.rawValue }

    /// The named tensor converted to float32: floats are widened (or, for `F64`, rounded),
    /// integers converted, booleans become 0 and 1. The tensor's mapped bytes are released from the
    /// resident set afterwards (they are read again from the page cache if asked for again).
    /// - Throws: ``TensorStoreError/missingTensor(name:store:)`` naming the file (its ``label``).
    public func tensor(named name: String) throws -> Tensor {
        guard let info = entries[name] else { throw TensorStoreError.missingTensor(name: name, store: label) }
        let tensor = Tensor(uncheckedShape: info.shape, recyclable: false) { buffer in
            withRawBytes(info) { raw in SafetensorsConversion.convert(raw, dtype: info.dtype, into: buffer) }
        }
        bytes.release(fileRange(of: info))
        return tensor
    }

    /// Calls `body` with the named tensor's stored bytes (little-endian, possibly unaligned),
    /// valid only during the call.
    /// - Throws: ``TensorStoreError/missingTensor(name:store:)``, or what `body` throws.
    public func withRawBytes<R>(of name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard let info = entries[name] else { throw TensorStoreError.missingTensor(name: name, store: label) }
        return try withRawBytes(info, body)
    }

    private func withRawBytes<R>(_ info: SafetensorsTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withBytes { all in try body(UnsafeRawBufferPointer(rebasing: all[fileRange(of: info)])) }
    }

    /// Where the tensor's bytes lie in the file (validated at open to lie within it).
    private func fileRange(of info: SafetensorsTensorInfo) -> Range<Int> {
        (dataStart + info.byteRange.lowerBound)..<(dataStart + info.byteRange.upperBound)
    }
}
