import Foundation

/// Downloads one file over HTTP into its partial, resuming with `Range` after a dropped or short
/// transfer (or a 500/502/503/504) up to `options.maxRetries` times, then verifies and commits it.
///
/// A partial left by an earlier run is continued, not discarded. If a file assembled from more than
/// one transfer fails its checksum, the pieces may not belong together (say the mirror changed), so
/// it is downloaded once more from byte zero before the mismatch is reported.
struct ResumableDownload: Sendable {
    let file: RemoteFile
    let url: URL
    let partial: PartialFile
    let options: DownloadOptions
    let progress: (any DownloadProgressReporter)?

    /// Statuses worth another try: the server or a proxy in front of it is briefly unavailable.
    static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    func run() throws {
        try partial.prepareDirectory()
        let transfer = HTTPTransfer(timeout: options.timeout)
        var failures = 0
        var spliced = false
        var restartedAfterMismatch = false
        while true {
            var offset = partial.size
            if let size = file.size, offset > size {
                partial.remove()
                offset = 0
            }
            if offset > 0 { spliced = true }
            if file.size.map({ offset < $0 }) ?? true {
                switch transfer.run(url: url, partial: partial.url, offset: offset, fileName: file.path, total: file.size, progress: progress) {
                case .success:
                    break
                case .failure(.status(404)):
                    throw PresetDownloadError.notFound(file: file.path, url: url)
                case .failure(.status(416)) where offset > 0:
                    // The server has nothing past our partial: it is stale or complete; start over.
                    partial.remove()
                    try countFailure(&failures, reason: "server refused the range from byte \(offset)")
                    continue
                case .failure(.status(let status)) where Self.transientStatuses.contains(status) && failures < options.maxRetries:
                    try countFailure(&failures, reason: "HTTP \(status)")
                    continue
                case .failure(.status(let status)):
                    throw PresetDownloadError.httpStatus(file: file.path, url: url, status: status)
                case .failure(.transport(let reason)):
                    try countFailure(&failures, reason: reason)
                    continue
                case .failure(.protocolViolation(let reason)):
                    partial.remove()
                    throw PresetDownloadError.transferFailed(file: file.path, url: url, attempts: failures + 1, reason: reason)
                case .failure(.fileSystem(let path, let reason)):
                    throw PresetDownloadError.fileSystem(path: path, reason: reason)
                }
                if let size = file.size, partial.size < size {
                    try countFailure(&failures, reason: "the connection closed after \(partial.size) of \(size) bytes")
                    continue
                }
            }
            do {
                let digest = try partial.verify(against: file, source: url)
                try partial.commit(digest: digest)
                return
            } catch PresetDownloadError.checksumMismatch where spliced && !restartedAfterMismatch {
                restartedAfterMismatch = true
                spliced = false
            }
        }
    }

    /// Counts a retryable failure, throwing once the retries are used up, else waiting before the next try.
    private func countFailure(_ failures: inout Int, reason: String) throws {
        failures += 1
        guard failures <= options.maxRetries else {
            throw PresetDownloadError.transferFailed(file: file.path, url: url, attempts: failures, reason: reason)
        }
        if options.retryDelay > 0 {
            Thread.sleep(forTimeInterval: options.retryDelay * Double(failures))
        }
    }
}
