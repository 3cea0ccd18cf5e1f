import Foundation

/// Tuning for ``PresetDownloader``: retries, timeouts and the per-file deadline.
public struct DownloadOptions: Sendable, Hashable {
    /// How many times a dropped or short transfer, or a 500/502/503/504 answer, is retried
    /// (resuming from what arrived) before giving up; `3` means at most four attempts per file.
    public var maxRetries: Int
    /// Seconds to wait before retry `n`, multiplied by `n`.
    public var retryDelay: TimeInterval
    /// Seconds without any data before an attempt counts as dropped.
    public var timeout: TimeInterval
    /// Seconds every file gets, whatever its size, before ``minimumBytesPerSecond`` adds to it.
    public var deadlineAllowance: TimeInterval
    /// The slowest average rate a download may have: a file of `n` bytes must be complete, over
    /// all its attempts, within `deadlineAllowance + n / minimumBytesPerSecond` seconds.
    public var minimumBytesPerSecond: Int
    /// Seconds to wait for another process's lock on a cache entry while its partial does not grow.
    public var lockStallTimeout: TimeInterval

    /// Options with the given limits; the defaults suit the hub (a 90 MB file must arrive within
    /// about 48 minutes, a 1 MiB `config.json` within 152 s).
    public init(
        maxRetries: Int = 3, retryDelay: TimeInterval = 1, timeout: TimeInterval = 60,
        deadlineAllowance: TimeInterval = 120, minimumBytesPerSecond: Int = 32 << 10, lockStallTimeout: TimeInterval = 300
    ) {
        self.maxRetries = min(max(0, maxRetries), 1000)
        self.retryDelay = retryDelay.isFinite ? min(max(0, retryDelay), 3600) : 1
        self.timeout = timeout.isFinite && timeout > 0 ? timeout : 60
        self.deadlineAllowance = deadlineAllowance.isFinite && deadlineAllowance > 0 ? deadlineAllowance : 120
        self.minimumBytesPerSecond = max(1, minimumBytesPerSecond)
        self.lockStallTimeout = lockStallTimeout.isFinite && lockStallTimeout > 0 ? lockStallTimeout : 300
    }

    /// Seconds allowed for a file of at most `bytes` bytes, all attempts together.
    public func deadline(forBytes bytes: Int) -> TimeInterval {
        deadlineAllowance + Double(max(0, bytes)) / Double(minimumBytesPerSecond)
    }
}
