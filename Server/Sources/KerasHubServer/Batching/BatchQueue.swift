import Foundation
import ServiceLifecycle

/// Why ``BatchQueue`` refused work.
public enum BatchQueueError: Error, Equatable, CustomStringConvertible {
    /// Taking the items would hold more than `capacity` waiting items.
    case full(capacity: Int)
    /// A request brings more items than the queue can ever hold at once.
    case tooManyItems(count: Int, capacity: Int)
    /// The queue is shutting down and takes no more work.
    case closed

    /// A message saying what was refused.
    public var description: String {
        switch self {
        case .full(let capacity): return "the server is busy: its queue of \(capacity) waiting inputs is full; retry later"
        case .tooManyItems(let count, let capacity):
            return "a request of \(count) inputs can never fit the server's queue of \(capacity); send at most \(capacity)"
        case .closed: return "the server is shutting down"
        }
    }
}

/// How a ``BatchQueue`` forms batches.
public struct BatchingPolicy: Sendable, Equatable {
    /// The most items handed to the handler at once.
    public var maxBatchSize: Int
    /// How long the oldest waiting item may wait for others before its batch is run anyway.
    public var maxDelay: Duration
    /// The most items waiting (not yet running) at once; more are refused with ``BatchQueueError/full(capacity:)``.
    public var capacity: Int

    /// Creates a policy; counts are clamped to at least 1 and the delay to at least zero.
    public init(maxBatchSize: Int, maxDelay: Duration, capacity: Int) {
        self.maxBatchSize = max(1, maxBatchSize)
        self.maxDelay = max(.zero, maxDelay)
        self.capacity = max(1, capacity)
    }
}

/// A bounded queue served by one dedicated thread in dynamic batches, as inference servers batch
/// concurrent requests: the thread waits for the first item, then up to ``BatchingPolicy/maxDelay``
/// (counted from that item's arrival) for more, up to ``BatchingPolicy/maxBatchSize``, and hands the
/// batch to the handler. Items that arrive while a batch runs wait for the next one; when the queue
/// holds ``BatchingPolicy/capacity`` items, new work is refused at once instead of growing the queue.
///
/// The handler runs on the queue's own thread, never on Swift's cooperative pool, so a model that
/// computes for tens of milliseconds does not hold up the HTTP event loops. As a `Service`, the
/// queue runs until graceful shutdown, then refuses new work, finishes every item it took, and ends.
public final class BatchQueue<Item: Sendable, Output: Sendable>: Service, @unchecked Sendable {
    /// Computes one output (or error) per item, in order.
    public typealias Handler = @Sendable ([Item]) -> [Result<Output, any Error>]
    /// Receives one request's results, in the order of its items.
    public typealias Completion = @Sendable ([Result<Output, any Error>]) -> Void

    /// The batching policy.
    public let policy: BatchingPolicy
    private let handler: Handler
    private let name: String
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var waiting: [Entry] = []
    private var head = 0
    private var closed = false
    private var started = false
    private var finished = false
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []

    private final class Group: @unchecked Sendable {
        // Touched only by the queue's thread after creation.
        var results: [Result<Output, any Error>?]
        var remaining: Int
        let completion: Completion
        init(count: Int, completion: @escaping Completion) {
            results = Array(repeating: nil, count: count)
            remaining = count
            self.completion = completion
        }
    }

    private struct Entry {
        let item: Item
        let group: Group
        let index: Int
        let arrival: ContinuousClock.Instant
    }

    /// Creates a queue; its thread starts with ``start()`` or ``run()``.
    public init(name: String, policy: BatchingPolicy, handler: @escaping Handler) {
        self.name = name
        self.policy = policy
        self.handler = handler
    }

    /// The number of items waiting (not counting a batch that is running).
    public var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return waiting.count - head
    }

    /// Starts the serving thread (once).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread { [self] in serve() }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues `items` as one request; `completion` gets their results on the queue's thread.
    /// - Throws: ``BatchQueueError`` at once when the queue is closed or has no room for all of them.
    public func enqueue(_ items: [Item], completion: @escaping Completion) throws(BatchQueueError) {
        if items.isEmpty {
            completion([])
            return
        }
        guard items.count <= policy.capacity else { throw .tooManyItems(count: items.count, capacity: policy.capacity) }
        let group = Group(count: items.count, completion: completion)
        let now = ContinuousClock.now
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { throw .closed }
        guard waiting.count - head + items.count <= policy.capacity else { throw .full(capacity: policy.capacity) }
        for (index, item) in items.enumerated() {
            waiting.append(Entry(item: item, group: group, index: index, arrival: now))
        }
        condition.broadcast()
    }

    /// Queues `items` and waits for their results.
    /// - Throws: ``BatchQueueError`` when refused.
    public func submit(_ items: [Item]) async throws(BatchQueueError) -> [Result<Output, any Error>] {
        let outcome: Result<[Result<Output, any Error>], BatchQueueError> = await withCheckedContinuation { continuation in
            do throws(BatchQueueError) {
                try enqueue(items) { continuation.resume(returning: .success($0)) }
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        return try outcome.get()
    }

    /// Refuses new work from now on; the thread finishes what it took, then ends.
    public func close() {
        condition.lock()
        closed = true
        let neverStarted = !started
        condition.broadcast()
        condition.unlock()
        if neverStarted { markFinished() }
    }

    /// Waits until the thread has finished every item it took after ``close()``.
    public func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if finished {
                condition.unlock()
                continuation.resume()
            } else {
                finishWaiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// Serves until graceful shutdown (or cancellation), then drains and returns.
    public func run() async throws {
        start()
        try? await gracefulShutdown()
        close()
        await waitUntilFinished()
    }

    // MARK: The serving thread

    private func serve() {
        condition.lock()
        while true {
            while waiting.count == head && !closed { condition.wait() }
            if waiting.count == head { break }  // closed and drained
            let deadline = waiting[head].arrival + policy.maxDelay
            while waiting.count - head < policy.maxBatchSize && !closed {
                let remaining = ContinuousClock.now.duration(to: deadline)
                if remaining <= .zero { break }
                condition.wait(until: Date(timeIntervalSinceNow: Self.seconds(remaining)))
            }
            let end = min(waiting.count, head + policy.maxBatchSize)
            let batch = Array(waiting[head..<end])
            head = end
            if head > 1024 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            condition.unlock()
            deliver(batch, handler(batch.map(\.item)))
            condition.lock()
        }
        condition.unlock()
        markFinished()
    }

    private func deliver(_ batch: [Entry], _ results: [Result<Output, any Error>]) {
        for (position, entry) in batch.enumerated() {
            let result = position < results.count
                ? results[position] : .failure(BatchHandlerError.missingResult(position: position, count: results.count))
            entry.group.results[entry.index] = result
            entry.group.remaining -= 1
            if entry.group.remaining == 0 {
                entry.group.completion(entry.group.results.map { $0 ?? .failure(BatchHandlerError.missingResult(position: 0, count: 0)) })
            }
        }
    }

    private func markFinished() {
        condition.lock()
        finished = true
        let waiters = finishWaiters
        finishWaiters = []
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}

/// A handler broke ``BatchQueue``'s contract.
public enum BatchHandlerError: Error, CustomStringConvertible {
    /// The handler returned fewer results than it was given items.
    case missingResult(position: Int, count: Int)

    /// A message saying what was wrong.
    public var description: String {
        switch self {
        case .missingResult(let position, let count):
            return "internal error: the model returned \(count) results, none for batch position \(position)"
        }
    }
}
