import Dispatch
import Foundation
import Testing
@testable import KerasHubTensor

/// The helper pool behind ``Parallel/run(_:_:)``: every task exactly once, from one caller, from
/// many callers at once (the pool is busy: tasks run on the caller), from inside a task, and
/// across many back-to-back jobs (the path of a decoding step).
@Suite struct ParallelTests {
    /// Runs `tasks` tasks that count their own calls; returns the per-task counts.
    static func counts(_ tasks: Int) -> [Int] {
        let counters = Counters(tasks)
        Parallel.run(tasks) { task in counters.withLock { $0[task] += 1 } }
        return counters.withLock { $0 }
    }

    /// Per-task call counts behind a lock, held by reference so every task shares one. (A pthread
    /// lock rather than `Mutex`, whose futex ThreadSanitizer cannot see.)
    final class Counters: @unchecked Sendable {
        private var counts: [Int]
        private let lock = NSLock()
        init(_ count: Int) { counts = [Int](repeating: 0, count: count) }
        func withLock<R>(_ body: (inout [Int]) -> R) -> R {
            lock.lock()
            defer { lock.unlock() }
            return body(&counts)
        }
    }

    @Test(arguments: [0, 1, 2, 3, 7, 64, 1000])
    func everyTaskRunsOnce(tasks: Int) {
        #expect(Self.counts(tasks) == Array(repeating: 1, count: tasks))
    }

    @Test func manyBackToBackJobs() {
        // Thousands of short jobs, as a decoding step issues them: no task lost or repeated.
        for round in 0..<3000 {
            let tasks = 2 + round % 5
            let counts = Self.counts(tasks)
            if counts != Array(repeating: 1, count: tasks) {
                Issue.record("round \(round): \(counts)")
                return
            }
        }
    }

    @Test func concurrentCallersAllComplete() {
        // Eight threads submit at once: one gets the pool, the others run their tasks themselves.
        let failures = Counters(1)
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            for _ in 0..<200 {
                let tasks = 3 + caller
                if Self.counts(tasks) != Array(repeating: 1, count: tasks) { failures.withLock { $0[0] += 1 } }
            }
        }
        #expect(failures.withLock { $0[0] } == 0)
    }

    @Test func nestedRunCompletes() {
        let total = Counters(1)
        Parallel.run(4) { _ in
            Parallel.run(5) { inner in total.withLock { $0[0] += inner + 1 } }
        }
        #expect(total.withLock { $0[0] } == 4 * 15)
    }
}
