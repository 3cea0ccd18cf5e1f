import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``HTTPTransport`` over URLSession: one ephemeral session per GET, redirects followed (the hub
/// redirects LFS files to its CDN) with each hop's headers kept, nothing cached, nothing buffered
/// beyond one received chunk. `idleTimeout` bounds the silence between chunks; the receiver's
/// deadline bounds the whole transfer (a server sending one byte every 20 s meets the second).
struct URLSessionTransport: HTTPTransport {
    /// Seconds without data before the transfer fails.
    var idleTimeout: TimeInterval

    func perform(_ request: TransferRequest, receiver: any TransferReceiver) -> TransportEnd {
        let delegate = SessionDelegate(receiver: receiver, idleTimeout: idleTimeout)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.timeoutIntervalForRequest = idleTimeout
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: idleTimeout)
        urlRequest.setValue("swift-keras-hub", forHTTPHeaderField: "User-Agent")
        // Byte ranges must address the stored bytes, not a compressed encoding of them.
        urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let task = session.dataTask(with: urlRequest)
        task.resume()
        var end: TransportEnd?
        while end == nil {
            if delegate.finished.wait(timeout: .now() + 0.2) == .success {
                end = delegate.end
            } else if Date() >= receiver.deadline {
                delegate.markDeadline()
                task.cancel()
                delegate.finished.wait()
                end = .deadlineExceeded
            }
        }
        session.finishTasksAndInvalidate()
        return end ?? .completed
    }
}

/// Forwards URLSession's callbacks to a ``TransferReceiver``; state behind a `Mutex`.
private final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var redirects: [[String: String]] = []
        var stopped = false
        var deadline = false
        var failure: String?
    }

    let receiver: any TransferReceiver
    let idleTimeout: TimeInterval
    let finished = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    init(receiver: any TransferReceiver, idleTimeout: TimeInterval) {
        self.receiver = receiver
        self.idleTimeout = idleTimeout
    }

    /// How the task ended; read after `finished` was signalled.
    var end: TransportEnd {
        state.withLock { state in
            if state.deadline { return .deadlineExceeded }
            if state.stopped { return .stopped }
            if let failure = state.failure { return .failed(failure) }
            return .completed
        }
    }

    func markDeadline() { state.withLock { $0.deadline = true } }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        let headers = Self.headers(of: response)
        let hops = state.withLock { state -> Int in
            state.redirects.append(headers)
            return state.redirects.count
        }
        guard hops <= 10 else {
            state.withLock { $0.failure = "more than 10 redirects" }
            completionHandler(nil)
            task.cancel()
            return
        }
        completionHandler(request)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            state.withLock { $0.failure = "not an HTTP response" }
            completionHandler(.cancel)
            return
        }
        let redirects = state.withLock { $0.redirects }
        let head = ResponseHead(status: http.statusCode, headers: Self.headers(of: http), redirects: redirects)
        if receiver.receive(head: head) {
            completionHandler(.allow)
        } else {
            state.withLock { $0.stopped = true }
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard !state.withLock({ $0.stopped || $0.deadline }) else { return }
        if !receiver.receive(body: data) {
            state.withLock { $0.stopped = true }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            let reason = Self.describe(error, idleTimeout: idleTimeout)
            state.withLock { state in
                if state.failure == nil, !state.stopped, !state.deadline { state.failure = reason }
            }
        }
        finished.signal()
    }

    private static func headers(of response: HTTPURLResponse) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            guard let name = name as? String, let value = value as? String else { continue }
            headers[name.lowercased()] = value
        }
        return headers
    }

    /// A transport error in words: an idle timeout says how long the server was silent.
    private static func describe(_ error: any Error, idleTimeout: TimeInterval) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut:
                return "no data for \(Int(idleTimeout)) s (the idle timeout)"
            case .cannotConnectToHost, .cannotFindHost:
                return "cannot connect to the server (\(urlError.localizedDescription))"
            case .networkConnectionLost:
                return "the connection was lost"
            default:
                break
            }
        }
        return error.localizedDescription
    }
}
