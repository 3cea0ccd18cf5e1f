import Foundation

/// A process-wide cache of released tensor buffers, reused by later tensors of the same size.
///
/// A transformer forward allocates the same activation sizes layer after layer and call after
/// call. Freed to the C allocator, large buffers go back to the operating system (`munmap`) and
/// every new one page-faults on first touch: about 6% of a DistilBERT forward at batch 8 x 128.
/// Kernel outputs of at least ``minimumByteCount`` bytes are therefore kept here when released, up
/// to ``limit`` bytes in all (least recently released buffers are freed first), and handed to the
/// next tensor of the same size (rounded to 4 KiB). Tensors read from checkpoints or built from
/// arrays never enter the cache. Backbones call ``clear()`` when they finish building, so buffers
/// of the load (random weights, transposed kernels) do not stay resident; an application that
/// releases a model and wants its memory back at once can call it too.
///
/// Tensors use ``shared``. Thread-safe; a buffer is given to one tensor at a time.
public final class TensorBufferCache: @unchecked Sendable {
    /// The cache every ``Tensor`` allocates from.
    public static let shared = TensorBufferCache(limit: defaultLimit)

    /// Buffers smaller than this (256 KiB) are left to the C allocator, which serves them from its
    /// heap without page faults.
    public static let minimumByteCount = 1 << 18

    /// The default ``limit``: 256 MiB.
    public static let defaultLimit = 1 << 28

    /// A cached buffer, owned by the cache while it is listed.
    private struct Entry {
        let pointer: UnsafeMutableRawPointer
        let byteCount: Int
    }

    private struct State {
        var entries: [Entry] = []  // oldest release first
        var cachedBytes = 0
        var limit: Int
    }

    // Guarded by `lock` (a pthread mutex, which ThreadSanitizer sees, unlike `Mutex`'s futex).
    private let lock = NSLock()
    private var state: State
    private static let alignment = 64
    private static let sizeClass = 4096

    /// A cache keeping at most `limit` bytes (tensors use ``shared``; separate caches are for tests).
    init(limit: Int) {
        state = State(limit: max(0, limit))
    }

    private func withLock<R>(_ body: (inout State) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }

    deinit { clear() }

    /// The most bytes the cache keeps; setting it lower frees the oldest buffers beyond it, and 0
    /// turns caching off.
    public var limit: Int {
        get { withLock { $0.limit } }
        set {
            let freed = withLock { state in
                state.limit = max(0, newValue)
                return Self.evict(&state, toFit: 0)
            }
            freed.forEach { $0.pointer.deallocate() }
        }
    }

    /// The bytes currently held by the cache (released buffers waiting for reuse).
    public var cachedByteCount: Int { withLock { $0.cachedBytes } }

    /// Frees every cached buffer.
    public func clear() {
        let freed = withLock { state in
            let entries = state.entries
            state.entries.removeAll()
            state.cachedBytes = 0
            return entries
        }
        freed.forEach { $0.pointer.deallocate() }
    }

    /// A buffer of at least `byteCount` bytes (64-byte aligned when recyclable, else 16) and its
    /// real size, from the cache when a recyclable buffer of that size class is there.
    func allocate(byteCount: Int, recyclable: Bool) -> (UnsafeMutableRawPointer, Int) {
        guard recyclable, byteCount >= Self.minimumByteCount else {
            // Loaded weights take the C allocator's own alignment: 64-byte aligned allocations
            // (memalign) fragment its heap, about 10 MiB more resident memory while a model loads.
            let bytes = max(byteCount, Self.alignment)
            return (UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: recyclable ? Self.alignment : 16), bytes)
        }
        let bytes = (byteCount + Self.sizeClass - 1) / Self.sizeClass * Self.sizeClass
        let reused: Entry? = withLock { state in
            // The most recently released buffer of this size: its pages are the likeliest in cache.
            guard let index = state.entries.lastIndex(where: { $0.byteCount == bytes }) else { return nil }
            state.cachedBytes -= bytes
            return state.entries.remove(at: index)
        }
        return (reused?.pointer ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.alignment), bytes)
    }

    /// Returns a buffer from ``allocate(byteCount:recyclable:)``: into the cache when it is
    /// recyclable, large enough and fits the limit, else to the C allocator.
    func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int, recyclable: Bool) {
        guard recyclable, byteCount >= Self.minimumByteCount else {
            pointer.deallocate()
            return
        }
        let entry = Entry(pointer: pointer, byteCount: byteCount)
        let freed: [Entry] = withLock { state in
            guard byteCount <= state.limit else { return [entry] }
            var freed = Self.evict(&state, toFit: byteCount)
            if state.cachedBytes + byteCount <= state.limit {
                state.entries.append(entry)
                state.cachedBytes += byteCount
            } else {
                freed.append(entry)
            }
            return freed
        }
        freed.forEach { $0.pointer.deallocate() }
    }

    /// Removes the oldest entries until `byteCount` more bytes fit under the limit; returns them
    /// to be freed outside the lock.
    private static func evict(_ state: inout State, toFit byteCount: Int) -> [Entry] {
        var count = 0, bytes = state.cachedBytes
        while count < state.entries.count && bytes + byteCount > state.limit {
            bytes -= state.entries[count].byteCount
            count += 1
        }
        guard count > 0 else { return [] }
        let freed = Array(state.entries[..<count])
        state.entries.removeFirst(count)
        state.cachedBytes = bytes
        return freed
    }
}
