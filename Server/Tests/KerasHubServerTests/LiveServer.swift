import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import KerasHub
import KerasHubServer
import Logging
import NIOCore
import ServiceLifecycle

/// A server started on 127.0.0.1 (a free port) in its own service group, and a real HTTP client.
final class LiveServer: Sendable {
    let port: Int
    private let ended: Flag
    private let group: ServiceGroup
    private let running: _Concurrency.Task<Void, any Error>

    /// Starts `endpoint` with `settings` (host and port are set here) and waits until it accepts.
    static func start(_ endpoint: ServedEndpoint, settings: ServerSettings = ServerSettings()) async throws -> LiveServer {
        var settings = settings
        settings.host = "127.0.0.1"
        settings.port = 0
        var logger = Logger(label: "keras-hub-server-test")
        logger.logLevel = .error
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let app = KerasHubServerApp.application(endpoint: endpoint, settings: settings, logger: logger) { port in sink.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let ended = Flag()
        let running = _Concurrency.Task {
            defer { ended.set() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        return LiveServer(port: port, ended: ended, group: group, running: running)
    }

    private init(port: Int, ended: Flag, group: ServiceGroup, running: _Concurrency.Task<Void, any Error>) {
        self.port = port
        self.ended = ended
        self.group = group
        self.running = running
    }

    /// Graceful shutdown: returns when the service group has ended.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// Whether the service group has ended.
    var hasStopped: Bool { ended.value }

    struct Reply: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: Data

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw TestFailure("not a JSON object: \(text)") }
            return object
        }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        /// The error object of an OpenAI error body.
        func error() throws -> [String: Any] {
            guard let error = try json()["error"] as? [String: Any] else { throw TestFailure("no error object in \(text)") }
            return error
        }
    }

    /// A client session without caching, cookies or proxies.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 120
        configuration.connectionProxyDictionary = [:]
        return URLSession(configuration: configuration)
    }()

    /// Sends a request (libcurl, through URLSession) and reads the whole response.
    func send(_ method: String, _ path: String, body: Data? = nil) async throws -> Reply {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw TestFailure("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP response") }
        let headers = http.allHeaderFields.compactMap { key, value in (key as? String).map { ($0, "\(value)") } }
        return Reply(status: http.statusCode, headers: headers, body: data)
    }

    /// POSTs a JSON object.
    func post(_ path: String, _ object: [String: Any]) async throws -> Reply {
        try await send("POST", path, body: try JSONSerialization.data(withJSONObject: object))
    }

    /// POSTs and splits the server-sent events of the response.
    func events(_ path: String, _ object: [String: Any]) async throws -> (status: Int, contentType: String?, events: [String]) {
        let reply = try await post(path, object)
        var events: [String] = []
        var pending = reply.text
        while let end = pending.range(of: "\n\n") {
            let event = String(pending[..<end.lowerBound])
            pending = String(pending[end.upperBound...])
            guard event.hasPrefix("data: ") else { throw TestFailure("not a data event: \(event)") }
            events.append(String(event.dropFirst(6)))
        }
        guard pending.isEmpty else { throw TestFailure("the stream ended inside an event: \(pending)") }
        return (reply.status, reply.header("Content-Type"), events)
    }
}

/// A boolean set once, read from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    func set() { lock.withLock { isSet = true } }
    var value: Bool { lock.withLock { isSet } }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Paths inside the repository (the fixtures live in the library's test folders).
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let bundledPreset = path("Presets/all_minilm_l6_v2_en")
    static let gpt2CausalLM = path("Tests/KerasHubPresetsTests/Fixtures/kerashub/gpt2_causal_lm")
    static let minilmGolden = path("Tests/KerasHubModelsTests/Fixtures/minilm")
}

/// Models loaded once per test process.
enum Models {
    static let embedder: TextEmbedder = {
        do { return try TextEmbedder.fromPreset(Repository.bundledPreset) } catch { fatalError("cannot load the bundled preset: \(error)") }
    }()
    static let causalLM: CausalLM = {
        do { return try CausalLM.fromPreset(Repository.gpt2CausalLM) } catch { fatalError("cannot load gpt2_causal_lm: \(error)") }
    }()
}

/// A handler that holds every batch until released, for deterministic queueing tests.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var open = false
    private var entered = 0

    func wait() {
        condition.lock()
        entered += 1
        condition.broadcast()
        while !open { condition.wait() }
        condition.unlock()
    }

    func release() {
        condition.lock()
        open = true
        condition.broadcast()
        condition.unlock()
    }

    private func hasEntered(_ count: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return entered >= count
    }

    /// Blocks (off the cooperative pool) until `count` batches have entered.
    func waitForEntries(_ count: Int) async {
        while true {
            if hasEntered(count) { return }
            try? await _Concurrency.Task.sleep(for: .milliseconds(5))
        }
    }
}
