/// Receives progress while a file is transferred. Calls for one file come in order:
/// `begin`, any number of `update`, then `end`; they may arrive on a networking thread.
public protocol DownloadProgressReporter: Sendable {
    /// A transfer of `file` starts with `completed` bytes already on disk (a resumed download)
    /// out of `total` (`nil` when unknown).
    func begin(file: String, completed: Int, total: Int?)
    /// `completed` bytes of the current file are on disk now.
    func update(completed: Int)
    /// The current file's transfer ended (successfully or not).
    func end()
}
