import Dispatch
import Testing
@testable import KerasHubTensor

/// The cache of released tensor buffers: what it keeps, what it hands back, its limit, and the
/// value semantics of tensors whose storage is recycled. Cache mechanics use a private cache, since
/// tests running in parallel share ``TensorBufferCache/shared``.
@Suite struct TensorBufferCacheTests {
    static let large = TensorBufferCache.minimumByteCount

    @Test func releasedBufferIsHandedToTheNextRequestOfItsSize() {
        let cache = TensorBufferCache(limit: 1 << 24)
        let (first, bytes) = cache.allocate(byteCount: Self.large + 10, recyclable: true)
        #expect(bytes == Self.large + 4096)  // rounded up to 4 KiB
        #expect(Int(bitPattern: first) % 64 == 0)
        let (loaded, loadedBytes) = cache.allocate(byteCount: Self.large, recyclable: false)
        #expect(Int(bitPattern: loaded) % 16 == 0)
        cache.release(loaded, byteCount: loadedBytes, recyclable: false)
        cache.release(first, byteCount: bytes, recyclable: true)
        #expect(cache.cachedByteCount == bytes)
        let (second, secondBytes) = cache.allocate(byteCount: Self.large + 4000, recyclable: true)
        #expect(second == first && secondBytes == bytes)
        #expect(cache.cachedByteCount == 0)
        cache.release(second, byteCount: secondBytes, recyclable: true)
    }

    @Test func otherSizesSmallAndNonRecyclableBuffersAreNotReused() {
        let cache = TensorBufferCache(limit: 1 << 24)
        let (buffer, bytes) = cache.allocate(byteCount: Self.large, recyclable: true)
        cache.release(buffer, byteCount: bytes, recyclable: true)
        let (other, otherBytes) = cache.allocate(byteCount: 2 * Self.large, recyclable: true)
        #expect(other != buffer)
        #expect(cache.cachedByteCount == bytes)
        cache.release(other, byteCount: otherBytes, recyclable: true)
        #expect(cache.cachedByteCount == bytes + otherBytes)

        let (small, smallBytes) = cache.allocate(byteCount: 1024, recyclable: true)
        cache.release(small, byteCount: smallBytes, recyclable: true)
        let (loaded, loadedBytes) = cache.allocate(byteCount: Self.large, recyclable: false)
        #expect(loaded != buffer)  // a weight never takes a cached buffer...
        cache.release(loaded, byteCount: loadedBytes, recyclable: false)
        #expect(cache.cachedByteCount == bytes + otherBytes)  // ...nor enters the cache
        cache.clear()
        #expect(cache.cachedByteCount == 0)
    }

    @Test func limitEvictsTheOldestReleases() {
        let cache = TensorBufferCache(limit: 2 * Self.large)
        let buffers = (0..<3).map { _ in cache.allocate(byteCount: Self.large, recyclable: true).0 }
        for buffer in buffers { cache.release(buffer, byteCount: Self.large, recyclable: true) }
        #expect(cache.cachedByteCount == 2 * Self.large)
        // The two newest remain, most recent first.
        let again = (0..<3).map { _ in cache.allocate(byteCount: Self.large, recyclable: true).0 }
        #expect(again[0] == buffers[2] && again[1] == buffers[1])
        #expect(cache.cachedByteCount == 0)  // the third is new memory: the oldest was freed
        for buffer in again { cache.release(buffer, byteCount: Self.large, recyclable: true) }

        cache.limit = Self.large
        #expect(cache.cachedByteCount == Self.large)
        cache.limit = 0
        #expect(cache.cachedByteCount == 0)
        let (buffer, bytes) = cache.allocate(byteCount: Self.large, recyclable: true)
        cache.release(buffer, byteCount: bytes, recyclable: true)
        #expect(cache.cachedByteCount == 0)
        let tooLarge = TensorBufferCache(limit: Self.large)
        let (big, bigBytes) = tooLarge.allocate(byteCount: 2 * Self.large, recyclable: true)
        tooLarge.release(big, byteCount: bigBytes, recyclable: true)
        #expect(tooLarge.cachedByteCount == 0)
    }

    @Test func concurrentUsersNeverShareABuffer() async {
        let cache = TensorBufferCache(limit: 1 << 24)
        let clashes = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var clashes = 0
                    for round in 0..<300 {
                        let bytes = Self.large * (1 + round % 3)
                        let (buffer, size) = cache.allocate(byteCount: bytes, recyclable: true)
                        let words = buffer.bindMemory(to: Int.self, capacity: size / MemoryLayout<Int>.stride)
                        words[0] = worker
                        words[size / MemoryLayout<Int>.stride - 1] = round
                        await Task.yield()
                        if words[0] != worker || words[size / MemoryLayout<Int>.stride - 1] != round { clashes += 1 }
                        cache.release(buffer, byteCount: size, recyclable: true)
                    }
                    return clashes
                }
            }
            return await group.reduce(0, +)
        }
        #expect(clashes == 0)
        #expect(cache.cachedByteCount <= 1 << 24)
    }

    @Test func tensorsOnRecycledStorageKeepValueSemantics() throws {
        let count = Self.large / MemoryLayout<Float>.stride + 3
        do { _ = Tensor(shape: [count], repeating: 7) }  // released into the shared cache
        let zeros = Tensor(shape: [count])
        #expect(zeros.withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 } })
        var written = Tensor(shape: [count], overwritingAll: { buffer in
            for index in buffer.indices { buffer[index] = Float(index) }
        })
        let copy = written
        written[5] = -1
        #expect(copy[5] == 5 && written[5] == -1)
        #expect(copy != written)
        written[5] = 5
        #expect(copy == written)
        for tensor in [zeros, written, Tensor(shape: [3], repeating: 1)] {
            #expect(tensor.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) % 64 } == 0)
        }
        let reshaped = try written.reshaped([1, count])
        #expect(reshaped.shape == [1, count] && reshaped[0, 7] == 7)
        #expect(throws: TensorError.self) { try written.reshaped([count + 1]) }
    }
}
