/// Where one tensor lives in a safetensors file, as its header entry says (after validation).
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The stored element type.
    public var dtype: SafetensorsDType
    /// The size of each dimension, outermost first.
    public var shape: [Int]
    /// The tensor's bytes, relative to the start of the data buffer (the `data_offsets`).
    public var byteRange: Range<Int>

    /// Creates an entry.
    public init(dtype: SafetensorsDType, shape: [Int], byteRange: Range<Int>) {
        self.dtype = dtype
        self.shape = shape
        self.byteRange = byteRange
    }

    /// The number of elements (the product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }
}
