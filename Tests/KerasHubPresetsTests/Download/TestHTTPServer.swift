import Crypto
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What ``TestHTTPServer`` does for one path.
enum ServerBehavior: Sendable {
    /// Serves the bytes as the hub serves a non-LFS file: 200 with `ETag` = the git blob id, or
    /// 206 for `Range: bytes=N-` (416 past the end) unless an `If-Range` names another `ETag`.
    case file(Data)
    /// Like `.file` without any `ETag` (a plain static server).
    case plainFile(Data)
    /// As the hub serves an LFS file: a 302 carrying `X-Linked-Etag` (the sha256) and
    /// `X-Linked-Size` to `/cdn<path>`, which serves the bytes with an `ETag` of its own.
    /// `statedSHA256` overrides the stated digest (a lying hub).
    case lfsFile(Data, statedSHA256: String? = nil)
    /// Version 0 of a file (with its own git-blob `ETag`) for the first `times` requests, cut in half after
    /// declaring the full length, then version 1 in full; `If-Range` is honoured unless `ignoringIfRange`.
    case changing(Data, then: Data, times: Int, ignoringIfRange: Bool = false)
    /// Declares the full `Content-Length`, then sends one byte every `interval` seconds.
    case drip(Data, interval: TimeInterval)
    /// Declares the full `Content-Length`, sends half the body, then goes silent (until the
    /// client hangs up, at most 30 s).
    case stall(Data)
    /// Sends `sending` bytes, declaring `declared` as `Content-Length` (none when `nil`).
    case oversize(declared: Int?, sending: Int)
    /// For the first `times` requests declares the full `Content-Length`, sends half the body and
    /// closes (a dropped connection); afterwards behaves like `.file` (all of these send its `ETag`).
    case dropping(Data, times: Int)
    /// For the first `times` requests sends half the body without a `Content-Length` and closes
    /// (a response that ends early but looks complete); afterwards behaves like `.file`.
    case truncating(Data, times: Int)
    /// Answers every request with the whole file and a 200, ignoring `Range`.
    case fileIgnoringRange(Data)
    /// 404.
    case notFound
    /// 302 to another path on this server.
    case redirect(to: String)
    /// An empty response with this status.
    case status(Int)
    /// An empty response with `status` for the first `times` requests; afterwards like `.file`.
    case failing(status: Int, times: Int, then: Data)
}

/// A request as the server saw it.
struct RecordedRequest: Sendable, Equatable {
    var path: String
    var range: String?
    var ifRange: String?

    init(path: String, range: String?, ifRange: String? = nil) {
        self.path = path
        self.range = range
        self.ifRange = ifRange
    }
}

/// A tiny HTTP/1.1 server for tests: POSIX sockets on one background thread, bound to
/// 127.0.0.1 on an ephemeral port, one request per connection (`Connection: close`).
final class TestHTTPServer: Sendable {
    private struct State {
        var requests: [RecordedRequest] = []
        var hits: [String: Int] = [:]
        var stopping = false
    }

    let port: UInt16
    private let listener: Int32
    private let routes: [String: ServerBehavior]
    private let state = Mutex(State())
    private let stopped = DispatchSemaphore(value: 0)

    /// The server's root, e.g. `http://127.0.0.1:41234`.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Every request so far, in order.
    var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Starts serving `routes` (keys are request paths such as `/org/name/file.bin`).
    init(routes: [String: ServerBehavior]) throws {
        self.routes = routes
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in self.acceptLoop() }
        thread.start()
    }

    /// Stops accepting, waits for the serving thread to end, and closes the socket.
    func stop() {
        let already = state.withLock { state in
            defer { state.stopping = true }
            return state.stopping
        }
        guard !already else { return }
        stopped.wait()
        close(listener)
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func acceptLoop() {
        defer { stopped.signal() }
        while !isStopping {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let head = readHead(client) else { return }
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return }
        let path = String(requestLine[1])
        var range: String?
        var ifRange: String?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch line[..<colon].lowercased() {
            case "range": range = value
            case "if-range": ifRange = value
            default: break
            }
        }
        let hit = state.withLock { state -> Int in
            state.requests.append(RecordedRequest(path: path, range: range, ifRange: ifRange))
            state.hits[path, default: 0] += 1
            return state.hits[path, default: 1]
        }
        if path.hasPrefix("/cdn/"), case .lfsFile(let data, _)? = routes[String(path.dropFirst(4))] {
            serve(data, range: range, ifRange: ifRange, etag: "\"cdn-\(data.count)\"", to: client, cut: nil)
            return
        }
        switch routes[path] ?? .notFound {
        case .file(let data):
            serve(data, range: range, ifRange: ifRange, etag: Self.gitETag(data), to: client, cut: nil)
        case .plainFile(let data):
            serve(data, range: range, to: client, cut: nil)
        case .lfsFile(let data, let stated):
            let sha256 = stated ?? SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            send(client, head: "HTTP/1.1 302 Found", headers: [
                "Location": "/cdn" + path, "Content-Length": "0", "X-Linked-Etag": "\"\(sha256)\"",
                "X-Linked-Size": "\(data.count)", "ETag": "\"\(sha256)\"",
            ])
        case .changing(let first, let second, let times, let ignoring):
            let data = hit <= times ? first : second
            let etag = Self.gitETag(data)
            serve(data, range: range, ifRange: ignoring ? nil : ifRange, etag: etag, to: client,
                  cut: hit <= times ? .dropDeclaringFullLength : nil)
        case .drip(let data, let interval):
            let text = "HTTP/1.1 200 OK\r\nContent-Length: \(data.count)\r\nConnection: close\r\n\r\n"
            guard writeAll(client, Data(text.utf8)) else { return }
            for byte in data {
                guard !isStopping, writeAll(client, Data([byte])) else { return }
                Thread.sleep(forTimeInterval: interval)
            }
        case .stall(let data):
            let head = "HTTP/1.1 200 OK\r\nContent-Length: \(data.count)\r\nConnection: close\r\n\r\n"
            guard writeAll(client, Data(head.utf8) + data.prefix(data.count / 2)) else { return }
            waitForHangUp(client, seconds: 30)
        case .oversize(let declared, let sending):
            var headers: [String: String] = [:]
            if let declared { headers["Content-Length"] = "\(declared)" }
            var text = "HTTP/1.1 200 OK\r\n"
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            text += "Connection: close\r\n\r\n"
            guard writeAll(client, Data(text.utf8)) else { return }
            let chunk = Data(repeating: 0x7B, count: 1 << 16)
            var sent = 0
            while sent < sending, !isStopping {
                let count = min(chunk.count, sending - sent)
                guard writeAll(client, chunk.prefix(count)) else { return }
                sent += count
            }
        case .dropping(let data, let times):
            serve(data, range: range, ifRange: ifRange, etag: Self.gitETag(data), to: client, cut: hit <= times ? .dropDeclaringFullLength : nil)
        case .truncating(let data, let times):
            serve(data, range: range, ifRange: ifRange, etag: Self.gitETag(data), to: client, cut: hit <= times ? .truncateWithoutLength : nil)
        case .fileIgnoringRange(let data):
            serve(data, range: nil, etag: Self.gitETag(data), to: client, cut: nil)
        case .notFound:
            send(client, head: "HTTP/1.1 404 Not Found", headers: ["Content-Length": "0"])
        case .redirect(let target):
            send(client, head: "HTTP/1.1 302 Found", headers: ["Location": target, "Content-Length": "0"])
        case .status(let code):
            send(client, head: "HTTP/1.1 \(code) Status", headers: ["Content-Length": "0"])
        case .failing(let code, let times, let data):
            if hit <= times {
                send(client, head: "HTTP/1.1 \(code) Status", headers: ["Content-Length": "0"])
            } else {
                serve(data, range: range, ifRange: ifRange, etag: Self.gitETag(data), to: client, cut: nil)
            }
        }
    }

    private enum Cut { case dropDeclaringFullLength, truncateWithoutLength }

    /// The hub's `ETag` for a non-LFS file: its git blob id, quoted.
    static func gitETag(_ data: Data) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Data("blob \(data.count)\0".utf8))
        hasher.update(data: data)
        return "\"" + hasher.finalize().map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// Blocks until the client closes its end (or `seconds` pass).
    private func waitForHangUp(_ client: Int32, seconds: Int) {
        var buffer = [UInt8](repeating: 0, count: 256)
        for _ in 0..<(seconds * 10) where !isStopping {
            var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) > 0 {
                if recv(client, &buffer, buffer.count, 0) <= 0 { return }
            }
        }
    }

    private func serve(_ data: Data, range: String?, ifRange: String? = nil, etag: String? = nil, to client: Int32, cut: Cut?) {
        var start = 0
        var head = "HTTP/1.1 200 OK"
        var headers: [String: String] = [:]
        if let etag { headers["ETag"] = etag }
        // RFC 9110 §13.1.5: a range is served only while If-Range names the current ETag.
        let rangeApplies = ifRange == nil || ifRange == etag
        if rangeApplies, let range, range.hasPrefix("bytes="), range.hasSuffix("-"), let first = Int(range.dropFirst(6).dropLast()) {
            guard first < data.count else {
                send(client, head: "HTTP/1.1 416 Range Not Satisfiable", headers: ["Content-Range": "bytes */\(data.count)", "Content-Length": "0"])
                return
            }
            start = first
            head = "HTTP/1.1 206 Partial Content"
            headers["Content-Range"] = "bytes \(first)-\(data.count - 1)/\(data.count)"
        }
        let body = data.subdata(in: start..<data.count)
        switch cut {
        case nil:
            headers["Content-Length"] = "\(body.count)"
            send(client, head: head, headers: headers, body: body)
        case .dropDeclaringFullLength:
            headers["Content-Length"] = "\(body.count)"
            send(client, head: head, headers: headers, body: body.prefix(body.count / 2))
        case .truncateWithoutLength:
            send(client, head: head, headers: headers, body: body.prefix(body.count / 2))
        }
    }

    private func send(_ client: Int32, head: String, headers: [String: String], body: Data = Data()) {
        var text = head + "\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        text += "Connection: close\r\n\r\n"
        writeAll(client, Data(text.utf8) + body)
    }

    @discardableResult
    private func writeAll(_ client: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            guard let base = buffer.baseAddress else { return true }
            var sent = 0
            while sent < buffer.count {
                let count = Glibc.send(client, base + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return false }
                sent += count
            }
            return true
        }
    }

    private func readHead(_ client: Int32) -> String? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let terminator = Data("\r\n\r\n".utf8)
        while received.range(of: terminator) == nil, received.count < 65536 {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }
}
