import Dispatch

/// Applies `transform` to every element, spreading contiguous chunks over all cores.
/// Results keep the input order.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    let n = items.count
    if n == 0 { return [] }
    if n == 1 { return [transform(items[0])] }
    return parallelMap(items, makeState: {}) { _, item in transform(item) }
}

/// Like `parallelMap`, but each worker chunk first builds private state with `makeState` (for
/// example a cache that then needs no locking) and passes it to every `transform` call of the chunk.
func parallelMap<T: Sendable, R: Sendable, State>(
    _ items: [T], makeState: @Sendable () -> State, _ transform: @Sendable (inout State, T) -> R
) -> [R] {
    let n = items.count
    if n == 0 { return [] }
    let chunks = min(n, max(1, ProcessInfoCores.count * 4))
    var results = [R?](repeating: nil, count: n)
    results.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer
        items.withUnsafeBufferPointer { input in
            nonisolated(unsafe) let inp = input
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var state = makeState()
                let start = chunk * n / chunks
                let end = (chunk + 1) * n / chunks
                for i in start..<end { out[i] = transform(&state, inp[i]) }
            }
        }
    }
    return results.compactMap { $0 }
}

/// The number of active processor cores.
enum ProcessInfoCores {
    /// Cores available to this process (at least 1).
    static let count: Int = {
        #if canImport(Glibc)
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return max(1, Int(n))
        #else
        return 1
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif
