import Foundation

/// The head of an HTTP response: its status and headers (names lowercased), and the headers of
/// each redirect that led to it, first hop first.
struct ResponseHead: Sendable, Equatable {
    /// The final response's status.
    var status: Int
    /// The final response's headers, names lowercased.
    var headers: [String: String]
    /// The headers of the redirect responses before the final one, in order.
    var redirects: [[String: String]]

    init(status: Int, headers: [String: String], redirects: [[String: String]] = []) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.redirects = redirects.map { hop in
            Dictionary(hop.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

/// One GET: the URL and the request headers (`Range`, `If-Range`) beside the transport's own.
struct TransferRequest: Sendable, Equatable {
    var url: URL
    var headers: [String: String]
}

/// Receives a response as it arrives. Returning `false` stops the transfer.
protocol TransferReceiver: AnyObject, Sendable {
    /// The response head; called once, before any body.
    func receive(head: ResponseHead) -> Bool
    /// The next chunk of the body.
    func receive(body: Data) -> Bool
    /// When the whole transfer must have ended (it may move once the head states a size).
    var deadline: Date { get }
}

/// How a transfer ended, from the transport's side.
enum TransportEnd: Sendable, Equatable {
    /// The server finished the response.
    case completed
    /// The receiver asked to stop.
    case stopped
    /// The connection failed or went silent for the idle timeout (described).
    case failed(String)
    /// The receiver's deadline passed first.
    case deadlineExceeded
}

/// Moves the bytes of one GET to a receiver. ``URLSessionTransport`` is the real one; tests and
/// the fuzz harness drive the download state machine with a scripted one.
protocol HTTPTransport: Sendable {
    /// Performs `request`, handing the head and body to `receiver`; blocks until it ends.
    func perform(_ request: TransferRequest, receiver: any TransferReceiver) -> TransportEnd
}
