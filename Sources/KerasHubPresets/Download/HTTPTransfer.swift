import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How one HTTP transfer attempt failed.
enum TransferFailure: Error, Sendable, Equatable {
    /// The server answered with this non-2xx status.
    case status(Int)
    /// The connection failed or dropped; worth retrying from what arrived.
    case transport(String)
    /// The server's answer cannot be used (e.g. a 206 at the wrong offset); not worth retrying.
    case protocolViolation(String)
    /// Writing the partial file failed.
    case fileSystem(URL, String)
}

/// One HTTP GET streamed to disk with URLSession: appends to `partial` after a `Range` request
/// when the server answers 206, starts over on 200. Redirects are followed (the hub redirects
/// to a CDN); nothing is cached by URLSession and nothing is buffered beyond one received chunk.
struct HTTPTransfer: Sendable {
    /// Seconds without data before the attempt fails.
    var timeout: TimeInterval

    /// Fetches `url` into `partial`, which already holds `offset` bytes of it (`0`: none; the file
    /// may be absent). Blocks the calling thread until the transfer ends.
    func run(
        url: URL,
        partial: URL,
        offset: Int,
        fileName: String,
        total: Int?,
        progress: (any DownloadProgressReporter)?
    ) -> Result<Void, TransferFailure> {
        let delegate = TransferDelegate(partial: partial, offset: offset, fileName: fileName, total: total, progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.timeoutIntervalForRequest = timeout
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.setValue("swift-keras-hub", forHTTPHeaderField: "User-Agent")
        // Byte ranges must address the stored bytes, not a compressed encoding of them.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if offset > 0 { request.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        session.dataTask(with: request).resume()
        delegate.finished.wait()
        session.finishTasksAndInvalidate()
        return delegate.result
    }
}
