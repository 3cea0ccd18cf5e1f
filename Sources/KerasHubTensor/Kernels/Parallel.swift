import CKernels

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
        run(workers) { worker in
            let lower = count * worker / workers, upper = count * (worker + 1) / workers
            body(lower..<upper)
        }
    }

    /// Calls `body(0)`, ..., `body(tasks - 1)` on the calling thread and up to `workerCount - 1`
    /// helper threads, handing the tasks out dynamically, and returns when all have finished.
    ///
    /// The helpers belong to a small pool that spins briefly between jobs before sleeping, so the
    /// fork-join loops of a decoding step (about 70 a token) start without a thread wake-up. A call
    /// made while the pool is busy (from another thread, or from inside a task) runs its tasks on
    /// the calling thread. `body` must be safe to call concurrently for different tasks.
    public static func run(_ tasks: Int, _ body: (Int) -> Void) {
        let helpers = workerCount - 1
        guard tasks > 1, helpers > 0 else {
            for task in 0..<max(0, tasks) { body(task) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var task = body
            withUnsafeMutablePointer(to: &task) { pointer in
                khk_parallel_run(tasks, Int32(helpers), { context, index in
                    context?.assumingMemoryBound(to: ((Int) -> Void).self).pointee(index)
                }, pointer)
            }
        }
    }
}

/// Carries a value that is known to be used safely (disjoint ranges) across ``Parallel/run(_:_:)``.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    /// The carried value.
    public let value: Value
    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
}
