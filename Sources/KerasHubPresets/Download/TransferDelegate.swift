import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// URLSession delegate that writes each received chunk straight to the partial file.
/// Its mutable state sits behind a `Mutex`; `finished` is signalled once the task completes.
final class TransferDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var handle: FileHandle?
        var written = 0
        var failure: TransferFailure?
        var reporting = false
    }

    let partial: URL
    let offset: Int
    let fileName: String
    let total: Int?
    let progress: (any DownloadProgressReporter)?
    /// Signalled when the task has completed, successfully or not.
    let finished = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    init(partial: URL, offset: Int, fileName: String, total: Int?, progress: (any DownloadProgressReporter)?) {
        self.partial = partial
        self.offset = offset
        self.fileName = fileName
        self.total = total
        self.progress = progress
    }

    /// The attempt's outcome; read after `finished` was signalled.
    var result: Result<Void, TransferFailure> {
        state.withLock { $0.failure.map { .failure($0) } ?? .success(()) }
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let outcome = open(for: response)
        switch outcome {
        case .success(let start):
            var expected = total
            if expected == nil, response.expectedContentLength >= 0 {
                expected = start + Int(response.expectedContentLength)
            }
            state.withLock { $0.reporting = progress != nil }
            progress?.begin(file: fileName, completed: start, total: expected)
            completionHandler(.allow)
        case .failure(let failure):
            state.withLock { $0.failure = failure }
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let written: Int? = state.withLock { state in
            guard state.failure == nil, let handle = state.handle else { return nil }
            do {
                try handle.write(contentsOf: data)
                state.written += data.count
                return state.written
            } catch {
                state.failure = .fileSystem(partial, "write failed: \(error.localizedDescription)")
                return nil
            }
        }
        if let written {
            progress?.update(completed: written)
        } else {
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let reporting = state.withLock { state in
            if let handle = state.handle {
                do { try handle.close() } catch where state.failure == nil {
                    state.failure = .fileSystem(partial, "close failed: \(error.localizedDescription)")
                } catch {}
                state.handle = nil
            }
            if let error, state.failure == nil {
                state.failure = .transport(error.localizedDescription)
            }
            return state.reporting
        }
        if reporting { progress?.end() }
        finished.signal()
    }

    /// Checks the status and opens the partial file: appending on a 206 that starts at `offset`,
    /// truncated on any other 2xx. Returns the byte offset the body starts at.
    private func open(for response: URLResponse) -> Result<Int, TransferFailure> {
        guard let http = response as? HTTPURLResponse else {
            return .failure(.protocolViolation("not an HTTP response"))
        }
        let status = http.statusCode
        guard (200..<300).contains(status) else { return .failure(.status(status)) }
        var start = 0
        if status == 206 {
            let range = http.value(forHTTPHeaderField: "Content-Range") ?? ""
            guard let first = Self.rangeStart(range), first == offset else {
                return .failure(.protocolViolation("206 with Content-Range '\(range)' for a request from byte \(offset)"))
            }
            start = offset
        }
        do {
            let manager = FileManager.default
            if !manager.fileExists(atPath: partial.path) {
                guard manager.createFile(atPath: partial.path, contents: nil) else {
                    return .failure(.fileSystem(partial, "cannot create file"))
                }
            }
            let handle = try FileHandle(forWritingTo: partial)
            try handle.truncate(atOffset: UInt64(start))
            try handle.seek(toOffset: UInt64(start))
            state.withLock {
                $0.handle = handle
                $0.written = start
            }
            return .success(start)
        } catch {
            return .failure(.fileSystem(partial, "cannot open for writing: \(error.localizedDescription)"))
        }
    }

    /// `N` from a `Content-Range: bytes N-M/T` header.
    static func rangeStart(_ header: String) -> Int? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = text.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        return Int(spec[..<dash].trimmingCharacters(in: .whitespaces))
    }
}
