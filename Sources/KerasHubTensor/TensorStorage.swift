/// The elements of a ``Tensor``: a float32 buffer (64-byte aligned when recyclable), shared by the
/// copies of a tensor until one of them writes (``Tensor`` copies it first, so values stay
/// value-semantic).
///
/// Buffers that hold a kernel's output are *recyclable*: when the last tensor using one goes away
/// it returns to ``TensorBufferCache`` and the next output of the same size reuses its pages, so a
/// forward pass does not page-fault on fresh memory layer after layer. Buffers that hold loaded or
/// caller-provided values are freed as usual.
final class TensorStorage: @unchecked Sendable {
    /// The first element.
    let base: UnsafeMutablePointer<Float>
    /// The number of elements.
    let count: Int
    /// Whether the buffer returns to ``TensorBufferCache`` when released.
    let recyclable: Bool
    private let byteCount: Int

    /// A buffer of `count` uninitialized elements.
    init(uninitializedCount count: Int, recyclable: Bool) {
        self.count = count
        self.recyclable = recyclable
        let (pointer, bytes) = TensorBufferCache.shared.allocate(byteCount: count * MemoryLayout<Float>.stride, recyclable: recyclable)
        base = pointer.bindMemory(to: Float.self, capacity: count)
        byteCount = bytes
    }

    /// A buffer holding a copy of `elements`.
    convenience init<C: Collection>(copying elements: C, recyclable: Bool) where C.Element == Float {
        self.init(uninitializedCount: elements.count, recyclable: recyclable)
        _ = UnsafeMutableBufferPointer(start: base, count: count).initialize(from: elements)
    }

    /// A new buffer with the same elements (for a write to a shared tensor).
    func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count, recyclable: recyclable)
        result.base.update(from: base, count: count)
        return result
    }

    /// The elements as a buffer pointer, valid while this storage is alive.
    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    deinit {
        TensorBufferCache.shared.release(UnsafeMutableRawPointer(base), byteCount: byteCount, recyclable: recyclable)
    }
}
