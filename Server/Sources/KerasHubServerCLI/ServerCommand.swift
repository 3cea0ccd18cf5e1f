import ArgumentParser
import Foundation
import KerasHubServer
import Logging

/// `keras-hub-server`: serves one preset over OpenAI's HTTP API.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keras-hub-server",
        abstract: "Serve a preset over OpenAI's HTTP API: /v1/embeddings for an embedder, /v1/completions for a causal LM.",
        discussion: """
            The model is loaded once at start. Concurrent embeddings requests are batched: an input waits at most \
            --max-batch-delay-ms for others, up to --max-batch-size per forward pass. When --max-queue inputs (or \
            completion requests) wait, new requests get 503 with Retry-After. SIGTERM or SIGINT stops accepting, \
            finishes the requests in flight, then exits 0. Prints "listening on http://HOST:PORT" once it accepts.
            """)

    @Option(help: "A preset: built-in name, directory, or hf://org/name[@revision].")
    var preset: String = "all_minilm_l6_v2_en"

    @Option(help: "The address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "The port (0: any free port).")
    var port: Int = 8080

    @Option(help: "The model name in responses (default: the preset's name).")
    var modelName: String?

    @Option(help: "Most inputs per forward pass (1 turns batching off).")
    var maxBatchSize: Int = 32

    @Option(help: "How long an input may wait for others to fill its batch, in milliseconds.")
    var maxBatchDelayMs: Int = 5

    @Option(help: "Most inputs (or completion requests) waiting at once; more are answered 503.")
    var maxQueue: Int = 1024

    @Option(help: "The largest request body in bytes; larger ones are answered 413.")
    var maxBodyBytes: Int = 8 << 20

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        guard (1...4096).contains(maxBatchSize) else { throw ValidationError("--max-batch-size must be between 1 and 4096, not \(maxBatchSize)") }
        guard (0...10_000).contains(maxBatchDelayMs) else {
            throw ValidationError("--max-batch-delay-ms must be between 0 and 10000, not \(maxBatchDelayMs)")
        }
        guard (1...1_000_000).contains(maxQueue) else { throw ValidationError("--max-queue must be between 1 and 1000000, not \(maxQueue)") }
        guard (1024...(1 << 30)).contains(maxBodyBytes) else {
            throw ValidationError("--max-body-bytes must be between 1024 and \(1 << 30), not \(maxBodyBytes)")
        }
    }

    func run() async throws {
        var settings = ServerSettings()
        settings.host = host
        settings.port = port
        settings.policy = BatchingPolicy(maxBatchSize: maxBatchSize, maxDelay: .milliseconds(maxBatchDelayMs), capacity: maxQueue)
        settings.maxBodyBytes = maxBodyBytes
        let model: ServedModel
        do {
            model = try ServedModel.load(preset: preset)
        } catch {
            FileHandle.standardError.write(Data("keras-hub-server: cannot load preset '\(preset)': \(error)\n".utf8))
            throw ExitCode(1)
        }
        let name = modelName ?? Self.name(of: preset)
        let endpoint = ServedEndpoint(model, modelName: name, policy: settings.policy)
        var logger = Logger(label: "keras-hub-server")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let host = self.host
        let app = KerasHubServerApp.application(endpoint: endpoint, settings: settings, logger: logger) { port in
            FileHandle.standardOutput.write(Data("keras-hub-server: listening on http://\(host):\(port) (model \(name), \(endpoint.path))\n".utf8))
        }
        try await app.runService()
    }

    /// The last path component of a preset (`hf://org/name@rev` → `name`).
    static func name(of preset: String) -> String {
        var name = preset
        if let at = name.lastIndex(of: "@"), name.hasPrefix("hf://") { name = String(name[..<at]) }
        while name.hasSuffix("/") { name.removeLast() }
        return name.split(separator: "/").last.map(String.init) ?? preset
    }
}
