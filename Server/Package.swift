// swift-tools-version:6.1
// keras-hub-server: an OpenAI-compatible HTTP server over the swift-keras-hub library, in its own
// package so that users of the library never build a web stack.
import PackageDescription

let package = Package(
    name: "keras-hub-server",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KerasHubServer", targets: ["KerasHubServer"]),
        .executable(name: "keras-hub-server", targets: ["KerasHubServerCLI"]),
    ],
    dependencies: [
        .package(name: "swift-keras-hub", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
    ],
    targets: [
        // Routes, OpenAI request/response types, the dynamic batcher and the application.
        .target(
            name: "KerasHubServer",
            dependencies: [
                .product(name: "KerasHub", package: "swift-keras-hub"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The keras-hub-server executable.
        .executableTarget(
            name: "KerasHubServerCLI",
            dependencies: [
                "KerasHubServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "KerasHubServerTests",
            dependencies: [
                "KerasHubServer",
            ]
        ),
    ]
)
