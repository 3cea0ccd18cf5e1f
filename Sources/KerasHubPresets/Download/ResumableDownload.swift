import Foundation

/// Downloads one file over HTTP into its partial, resuming after a dropped or short transfer (or
/// a 500/502/503/504) up to `options.maxRetries` times, then verifies and commits it.
///
/// The rules, each against a failure seen in the wild:
/// - bytes already in the partial are continued only with `Range` plus `If-Range` naming the
///   validator they came with (so a file changed on the server comes back whole, as a 200), or,
///   with no validator, when a pinned sha256 will catch a mix of two versions;
/// - a response contradicting the previous one (size, digest, validator) while appending means the
///   file changed between attempts: the partial is discarded;
/// - nothing beyond the cap is written: the pinned or stated size, else the ceiling of the file's
///   kind (``DownloadLimits``), and a stated size above the cap is refused before any body;
/// - the file must be complete within ``DownloadOptions/deadline(forBytes:)`` over all attempts;
/// - the partial is promoted only when it has the pinned or stated length and every pinned or
///   stated digest (``PartialFile/verify(against:source:)``); from the hub a digest is required.
///
/// If a file assembled from more than one transfer, or one whose length nothing stated, fails its
/// checksum, it is downloaded once more from byte zero before the mismatch is reported.
struct ResumableDownload: Sendable {
    let file: RemoteFile
    let url: URL
    let partial: PartialFile
    let options: DownloadOptions
    let progress: (any DownloadProgressReporter)?
    /// Moves the bytes.
    var transport: any HTTPTransport
    /// Whether the server is the hub, whose `ETag` is a content digest and which must state one.
    var isHub: Bool

    init(file: RemoteFile, url: URL, partial: PartialFile, options: DownloadOptions,
         progress: (any DownloadProgressReporter)?, transport: (any HTTPTransport)? = nil, isHub: Bool = false) {
        self.file = file
        self.url = url
        self.partial = partial
        self.options = options
        self.progress = progress
        self.transport = transport ?? URLSessionTransport(idleTimeout: options.timeout)
        self.isHub = isHub
    }

    /// Statuses worth another try: the server or a proxy in front of it is briefly unavailable.
    static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    func run() throws {
        try partial.prepareDirectory()
        let started = Date()
        let cap = DownloadLimits.cap(for: file)
        var failures = 0
        var spliced = false
        var restartedAfterMismatch = false
        var statement: ServerStatement?
        while true {
            var offset = partial.size
            let validator = partial.storedValidator
            if offset > 0, validator == nil, file.normalizedSHA256 == nil {
                // Nothing ties these bytes to the file the server has now.
                partial.remove()
                offset = 0
            }
            let knownSize = file.size ?? statement?.size
            if offset > cap || knownSize.map({ offset > $0 }) == true {
                partial.remove()
                offset = 0
            }
            if offset > 0 { spliced = true }
            let needsStatement = statement == nil && isHub && file.normalizedSHA256 == nil
            if knownSize.map({ offset < $0 }) ?? true || needsStatement {
                var headers: [String: String] = [:]
                if offset > 0 {
                    headers["Range"] = "bytes=\(offset)-"
                    if let validator { headers["If-Range"] = validator }
                }
                let writer = PartialWriter(
                    partial: partial.url, offset: offset, limit: cap, deadlineBytes: min(cap, knownSize ?? cap),
                    trustsETag: isHub, fileName: file.path, started: started, options: options, progress: progress)
                writer.finish(transport.perform(TransferRequest(url: url, headers: headers), receiver: writer))
                if let received = writer.statement {
                    if writer.appended, let previous = statement, previous.contradicts(received) {
                        partial.remove()
                        statement = nil
                        try countFailure(&failures, reason: "the file changed on the server between attempts")
                        continue
                    }
                    if !writer.appended { partial.store(validator: received.validator) }
                    statement = received
                    try checkAgainstPins(received)
                }
                switch writer.failure {
                case nil:
                    break
                case .status(404)?:
                    throw PresetDownloadError.notFound(file: file.path, url: url)
                case .status(416)? where offset > 0:
                    // The server has nothing past our partial: it is stale or complete; start over.
                    partial.remove()
                    try countFailure(&failures, reason: "server refused the range from byte \(offset)")
                    continue
                case .status(let status)? where Self.transientStatuses.contains(status) && failures < options.maxRetries:
                    try countFailure(&failures, reason: "HTTP \(status)")
                    continue
                case .status(let status)?:
                    throw PresetDownloadError.httpStatus(file: file.path, url: url, status: status)
                case .transport(let reason)?:
                    try countFailure(&failures, reason: reason)
                    continue
                case .protocolViolation(let reason)?:
                    partial.remove()
                    throw PresetDownloadError.transferFailed(file: file.path, url: url, attempts: failures + 1, reason: reason)
                case .fileSystem(let path, let reason)?:
                    throw PresetDownloadError.fileSystem(path: path, reason: reason)
                case .oversize(let limit, let stated)?:
                    partial.remove()
                    throw PresetDownloadError.tooLarge(file, source: url, limit: limit, stated: stated)
                case .deadline?:
                    // The partial stays, with its validator, for a later run to continue.
                    throw PresetDownloadError.deadlineExceeded(
                        file: file.path, url: url, seconds: Int(writer.deadline.timeIntervalSince(started).rounded()), received: partial.size)
                }
                if let size = file.size ?? statement?.size, partial.size < size {
                    try countFailure(&failures, reason: "the connection closed after \(partial.size) of \(size) bytes")
                    continue
                }
            }
            do {
                let expectation = DownloadExpectation(file: file, statement: statement, requiresDigest: isHub)
                let sha256 = try partial.verify(against: expectation, source: url)
                try partial.commit(sha256: sha256)
                return
            } catch let error as PresetDownloadError
                where (spliced || (file.size ?? statement?.size) == nil) && !restartedAfterMismatch && error.isDigestMismatch {
                // Pieces that may not belong together, or a body of unknown length that may have
                // been cut: once more from byte zero before the mismatch is reported.
                restartedAfterMismatch = true
                spliced = false
            }
        }
    }

    /// Refuses a statement that contradicts the registry's pins, before its body is used.
    private func checkAgainstPins(_ statement: ServerStatement) throws {
        if let pinned = file.size, let stated = statement.size, stated != pinned {
            partial.remove()
            throw PresetDownloadError.sizeMismatch(file: file.path, source: url, expected: pinned, found: stated)
        }
        if let pinned = file.normalizedSHA256, let stated = statement.sha256, stated != pinned {
            partial.remove()
            throw PresetDownloadError.statedDigestConflict(
                file: file.path, source: url, header: statement.sha256Header ?? "ETag", stated: stated, pinned: pinned)
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

extension PresetDownloadError {
    /// The error for `file` found larger than `limit`: against a pinned size, a size mismatch
    /// naming the stated size; otherwise the limit of its kind, see ``DownloadLimits``.
    static func tooLarge(_ file: RemoteFile, source: URL, limit: Int, stated: Int?) -> PresetDownloadError {
        if let pinned = file.size, let stated { return .sizeMismatch(file: file.path, source: source, expected: pinned, found: stated) }
        return .sizeLimitExceeded(file: file.path, source: source, limit: limit, stated: stated)
    }

    /// Whether the bytes were whole but hashed to something else.
    var isDigestMismatch: Bool {
        switch self {
        case .checksumMismatch, .digestMismatch: return true
        default: return false
        }
    }
}
