import Foundation

/// Tuning for ``PresetDownloader``: retries and timeouts.
public struct DownloadOptions: Sendable, Hashable {
    /// How many times a dropped or short transfer, or a 500/502/503/504 answer, is retried
    /// (resuming from what arrived) before giving up; `3` means at most four attempts per file.
    public var maxRetries: Int
    /// Seconds to wait before retry `n`, multiplied by `n`.
    public var retryDelay: TimeInterval
    /// Seconds without any data before an attempt counts as dropped.
    public var timeout: TimeInterval

    /// Options with the given limits; the defaults suit the hub.
    public init(maxRetries: Int = 3, retryDelay: TimeInterval = 1, timeout: TimeInterval = 60) {
        self.maxRetries = max(0, maxRetries)
        self.retryDelay = max(0, retryDelay)
        self.timeout = timeout > 0 ? timeout : 60
    }
}
