import Dispatch

/// Splitting element-wise and per-row work over the cores that OpenBLAS is allowed to use
/// (`OPENBLAS_NUM_THREADS`, or ``BLAS/threadCount``), so `OPENBLAS_NUM_THREADS=1` keeps the whole
/// library on one thread.
public enum Parallel {
    /// How many workers the kernels use: OpenBLAS's thread count.
    public static var workerCount: Int { max(1, BLAS.threadCount) }

    /// Calls `body` on consecutive ranges covering `0..<count`, in parallel when there are at least
    /// `minimumPerWorker` items for each of two or more workers. Ranges never overlap.
    @inline(__always)
    public static func forEachRange(
        _ count: Int, minimumPerWorker: Int, _ body: (Range<Int>) -> Void
    ) {
        forEachRange(count, workers: min(workerCount, count / max(1, minimumPerWorker)), body)
    }

    /// Calls `body` on `workers` consecutive ranges covering `0..<count`, concurrently.
    @inline(__always)
    public static func forEachRange(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
        let workers = min(workers, count)
        guard workers > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let lower = count * worker / workers, upper = count * (worker + 1) / workers
                box.value(lower..<upper)
            }
        }
    }
}

/// Carries a value that is known to be used safely (disjoint ranges) across a `concurrentPerform`.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    /// The carried value.
    public let value: Value
    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
}
