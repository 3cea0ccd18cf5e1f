import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The settings of a server.
public struct ServerSettings: Sendable {
    /// The address to bind.
    public var host = "127.0.0.1"
    /// The port (0: any free port; the one taken is printed).
    public var port = 8080
    /// The batching of embeddings requests (and, for completions, the queue's capacity).
    public var policy = BatchingPolicy(maxBatchSize: 32, maxDelay: .milliseconds(5), capacity: 1024)
    /// The largest request body, in bytes.
    public var maxBodyBytes = 8 << 20

    /// The default settings.
    public init() {}
}

/// Builds the Hummingbird application: the routes over the served endpoint, and the endpoint's queue
/// as a service of the application's service group, so that on SIGTERM or SIGINT the server first
/// stops accepting and finishes every request in flight, then the queue drains and stops.
public enum KerasHubServerApp {
    /// The application; `onListening` gets the bound port once the server runs.
    public static func application(
        endpoint: ServedEndpoint, settings: ServerSettings, logger: Logger = Logger(label: "keras-hub-server"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: ServerRoutes.router(endpoint, maxBodyBytes: settings.maxBodyBytes),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "keras-hub-server"),
            services: [endpoint.service],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }
}
