import ArgumentParser

/// Upper bounds on the counts flags give, checked before any arithmetic or allocation with them
/// (a count near `Int.max` would otherwise overflow `prompt + new tokens` or allocate without end).
/// They lie far beyond what any model here can use; the model's own limits are checked after.
enum CountLimits {
    /// Token positions: sequence lengths, new tokens (no model here has more than 2^20 positions).
    static let positions = 1 << 20
    /// Sequences per batch.
    static let batch = 4096
    /// Repetitions of a benchmark.
    static let repetitions = 100_000

    /// Refuses `value` above `limit`, naming the flag.
    static func check(_ flag: String, _ value: Int, _ limit: Int) throws {
        guard value <= limit else { throw ValidationError("\(flag) must be at most \(limit), not \(value)") }
    }
}
