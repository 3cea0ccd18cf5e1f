import Foundation
import Synchronization

/// How one transfer attempt failed.
enum TransferFailure: Error, Sendable, Equatable {
    /// The server answered with this non-2xx status.
    case status(Int)
    /// The connection failed or went silent; worth retrying from what arrived.
    case transport(String)
    /// The server's answer cannot be used (a 206 at the wrong offset, more bytes than it stated).
    case protocolViolation(String)
    /// Writing the partial file failed.
    case fileSystem(URL, String)
    /// The file is larger than `limit` bytes, as stated (`stated`) or as sent (`stated == nil`).
    case oversize(limit: Int, stated: Int?)
    /// The file's deadline passed.
    case deadline
}

/// The ``TransferReceiver`` of one attempt: checks the head (status, `Content-Range`, stated size
/// against the cap), then writes the body to the partial, appending on a 206 that starts where the
/// partial ends and starting over on a 200, never past the cap. Its state sits behind a `Mutex`.
final class PartialWriter: TransferReceiver {
    private struct State {
        var handle: FileHandle?
        var written = 0
        var statement: ServerStatement?
        var appended = false
        var failure: TransferFailure?
        var limit: Int
        var deadline: Date
    }

    let partial: URL
    let offset: Int
    let trustsETag: Bool
    let fileName: String
    let progress: (any DownloadProgressReporter)?
    /// When the file's first attempt began, and how the deadline grows with its size.
    let started: Date
    let options: DownloadOptions
    private let state: Mutex<State>

    /// A writer for an attempt that asked for the file from byte `offset` of a partial that holds
    /// `offset` bytes, allowing at most `limit` bytes in all; until the head states a size, the
    /// deadline is the one for `deadlineBytes`.
    init(partial: URL, offset: Int, limit: Int, deadlineBytes: Int, trustsETag: Bool, fileName: String, started: Date,
         options: DownloadOptions, progress: (any DownloadProgressReporter)?) {
        self.partial = partial
        self.offset = offset
        self.trustsETag = trustsETag
        self.fileName = fileName
        self.started = started
        self.options = options
        self.progress = progress
        state = Mutex(State(limit: limit, deadline: started.addingTimeInterval(options.deadline(forBytes: deadlineBytes))))
    }

    var deadline: Date { state.withLock { $0.deadline } }
    /// What the response stated, once its head arrived.
    var statement: ServerStatement? { state.withLock { $0.statement } }
    /// Whether the body was appended to an existing partial (a 206).
    var appended: Bool { state.withLock { $0.appended } }
    /// Why the attempt failed on the receiving side, if it did.
    var failure: TransferFailure? { state.withLock { $0.failure } }

    /// Records that the transport ended the attempt; closes the partial.
    func finish(_ end: TransportEnd) {
        let reporting = state.withLock { state -> Bool in
            if let handle = state.handle {
                do { try handle.close() } catch where state.failure == nil {
                    state.failure = .fileSystem(partial, "close failed: \(error.localizedDescription)")
                } catch {}
                state.handle = nil
            }
            if state.failure == nil {
                switch end {
                case .completed, .stopped: break
                case .failed(let reason): state.failure = .transport(reason)
                case .deadlineExceeded: state.failure = .deadline
                }
            }
            return state.statement != nil
        }
        if reporting, progress != nil { progress?.end() }
    }

    func receive(head: ResponseHead) -> Bool {
        guard (200..<300).contains(head.status) else { return fail(.status(head.status)) }
        var start = 0
        if head.status == 206 {
            let range = head.headers["content-range"] ?? ""
            guard let first = ServerStatement.contentRangeStart(range), first == offset else {
                return fail(.protocolViolation("206 with Content-Range '\(range)' for a request from byte \(offset)"))
            }
            start = offset
        } else if head.status != 200 {
            return fail(.protocolViolation("HTTP \(head.status) instead of 200 or 206"))
        }
        let statement = ServerStatement(head: head, trustsETag: trustsETag)
        let limit = state.withLock { $0.limit }
        if let size = statement.size, size > limit {
            return fail(.oversize(limit: limit, stated: size))
        }
        if let size = statement.size, size < start {
            return fail(.protocolViolation("the server states \(size) bytes but resumed at byte \(start)"))
        }
        do {
            let manager = FileManager.default
            if !manager.fileExists(atPath: partial.path) {
                guard manager.createFile(atPath: partial.path, contents: nil) else {
                    return fail(.fileSystem(partial, "cannot create file"))
                }
            }
            let handle = try FileHandle(forWritingTo: partial)
            try handle.truncate(atOffset: UInt64(start))
            try handle.seek(toOffset: UInt64(start))
            let bound = statement.size ?? limit
            state.withLock { state in
                state.handle = handle
                state.written = start
                state.statement = statement
                state.appended = start > 0
                state.limit = min(state.limit, bound)
                state.deadline = started.addingTimeInterval(options.deadline(forBytes: bound))
            }
            progress?.begin(file: fileName, completed: start, total: statement.size)
            return true
        } catch {
            return fail(.fileSystem(partial, "cannot open for writing: \(error.localizedDescription)"))
        }
    }

    func receive(body: Data) -> Bool {
        let written: Int? = state.withLock { state in
            guard state.failure == nil, let handle = state.handle else { return nil }
            let (total, overflow) = state.written.addingReportingOverflow(body.count)
            guard !overflow, total <= state.limit else {
                state.failure = state.statement?.size != nil && state.statement?.size == state.limit
                    ? .protocolViolation("the server sent more than the \(state.limit) bytes it stated")
                    : .oversize(limit: state.limit, stated: nil)
                return nil
            }
            do {
                try handle.write(contentsOf: body)
                state.written = total
                return total
            } catch {
                state.failure = .fileSystem(partial, "write failed: \(error.localizedDescription)")
                return nil
            }
        }
        guard let written else { return false }
        progress?.update(completed: written)
        return true
    }

    private func fail(_ failure: TransferFailure) -> Bool {
        state.withLock { state in
            if state.failure == nil { state.failure = failure }
        }
        return false
    }
}
