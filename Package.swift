// swift-tools-version:6.1
// The swift-keras-hub package: KerasHub's models, tokenizers and presets in Swift.
import PackageDescription

let package = Package(
    name: "swift-keras-hub",
    products: [
        .library(name: "KerasHub", targets: ["KerasHub"]),
        .executable(name: "keras-hub", targets: ["KerasHubCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System library: cblas.h from libopenblas-dev.
        .systemLibrary(
            name: "COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // A tiny extern "C" shim over sentencepiece::SentencePieceProcessor.
        .target(
            name: "CSentencePiece",
            linkerSettings: [.linkedLibrary("sentencepiece")]
        ),
        .target(name: "KerasHubTensor", dependencies: ["COpenBLAS"]),
        .target(name: "KerasHubLayers", dependencies: ["KerasHubTensor"]),
        .target(name: "KerasHubTokenizers", dependencies: ["CSentencePiece"]),
        .target(name: "KerasHubModels", dependencies: ["KerasHubLayers", "KerasHubTokenizers"]),
        .target(name: "KerasHub", dependencies: ["KerasHubTensor", "KerasHubLayers", "KerasHubTokenizers", "KerasHubModels"]),
        .executableTarget(
            name: "KerasHubCLI",
            dependencies: ["KerasHub", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Tokenizer throughput benchmark (run by Tools/bench/bench_tokenizers.sh; not part of the library).
        .executableTarget(name: "KerasHubTokenizerBench", dependencies: ["KerasHubTokenizers", "CSentencePiece"]),
        .testTarget(name: "KerasHubTensorTests", dependencies: ["KerasHubTensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KerasHubLayersTests", dependencies: ["KerasHubLayers"]),
        .testTarget(name: "KerasHubTokenizersTests", dependencies: ["KerasHubTokenizers"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KerasHubModelsTests", dependencies: ["KerasHubModels"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
