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
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // `swift package generate-documentation --target KerasHub` builds the DocC catalog.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // System library: cblas.h from libopenblas-dev.
        .systemLibrary(
            name: "COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // System library: HDF5 from libhdf5-dev, for Keras's `.weights.h5` (shim.h wraps the macros).
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        // A tiny extern "C" shim over sentencepiece::SentencePieceProcessor.
        .target(
            name: "CSentencePiece",
            linkerSettings: [.linkedLibrary("sentencepiece")]
        ),
        // AVX-512 GEMM micro-kernels, enabled per function and chosen at run time.
        .target(name: "CKernels"),
        .target(name: "KerasHubTensor", dependencies: ["COpenBLAS", "CKernels", "CHDF5"]),
        .target(name: "KerasHubLayers", dependencies: ["KerasHubTensor"]),
        .target(name: "KerasHubTokenizers", dependencies: ["CSentencePiece"]),
        .target(name: "KerasHubModels", dependencies: ["KerasHubTensor", "KerasHubLayers", "KerasHubTokenizers"]),
        // The built-in preset registry and the bundled preset, shipped as resources from Presets/.
        .target(
            name: "KerasHubPresetData",
            path: "Presets",
            exclude: ["README.md"],
            resources: [.copy("registry.json"), .copy("vocabularies"), .copy("all_minilm_l6_v2_en")]
        ),
        .target(
            name: "KerasHubPresets",
            dependencies: [
                "KerasHubTensor", "KerasHubLayers", "KerasHubTokenizers", "KerasHubModels", "KerasHubPresetData",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "KerasHub",
            dependencies: ["KerasHubTensor", "KerasHubLayers", "KerasHubTokenizers", "KerasHubModels", "KerasHubPresets"]
        ),
        .executableTarget(
            name: "KerasHubCLI",
            dependencies: ["KerasHub", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Tokenizer throughput benchmark (run by Tools/bench/bench_tokenizers.sh; not part of the library).
        .executableTarget(name: "KerasHubTokenizerBench", dependencies: ["KerasHubTokenizers", "CSentencePiece"]),
        .testTarget(name: "KerasHubTensorTests", dependencies: ["KerasHubTensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KerasHubLayersTests", dependencies: ["KerasHubTensor", "KerasHubLayers"]),
        .testTarget(name: "KerasHubTokenizersTests", dependencies: ["KerasHubTokenizers"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "KerasHubModelsTests", dependencies: ["KerasHubTensor", "KerasHubLayers", "KerasHubTokenizers", "KerasHubModels", "KerasHubPresetData"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "KerasHubPresetsTests", dependencies: ["KerasHub", "KerasHubPresets"], exclude: ["Fixtures"]),
        .testTarget(name: "KerasHubCLITests", dependencies: ["KerasHubCLI", "KerasHub"]),
        // Greedy generation throughput (a benchmark, not a test): swift run -c release KerasHubGenerateBench
        .executableTarget(name: "KerasHubGenerateBench", dependencies: ["KerasHubTensor", "KerasHubLayers", "KerasHubModels"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
