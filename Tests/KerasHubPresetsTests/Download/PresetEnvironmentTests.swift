import Foundation
import Testing
@testable import KerasHubPresets

@Suite struct PresetEnvironmentTests {
    private let home = URL(fileURLWithPath: "/home/someone", isDirectory: true)

    @Test func defaults() {
        let environment = PresetEnvironment(variables: [:], homeDirectory: home)
        #expect(environment.cacheDirectory.path == "/home/someone/.cache/keras-hub-swift")
        #expect(environment.mirror == nil)
        #expect(!environment.isOffline)
        #expect(environment.hubEndpoint.absoluteString == "https://huggingface.co")
    }

    @Test func variablesOverrideTheDefaults() {
        let environment = PresetEnvironment(variables: [
            "KERAS_HUB_CACHE": "/tmp/cache",
            "KERAS_HUB_MIRROR": "https://mirror.example/presets",
            "KERAS_HUB_OFFLINE": "1",
            "KERAS_HUB_HUB_ENDPOINT": "http://127.0.0.1:8080",
            "HF_ENDPOINT": "https://ignored.example",
        ], homeDirectory: home)
        #expect(environment.cacheDirectory.path == "/tmp/cache")
        #expect(environment.mirror == .remote(URL(string: "https://mirror.example/presets")!))
        #expect(environment.isOffline)
        #expect(environment.hubEndpoint.absoluteString == "http://127.0.0.1:8080")
    }

    @Test func hfEndpointIsTheFallbackHub() {
        let environment = PresetEnvironment(variables: ["HF_ENDPOINT": "https://hf-mirror.example"], homeDirectory: home)
        #expect(environment.hubEndpoint.absoluteString == "https://hf-mirror.example")
    }

    @Test(arguments: [("1", true), ("true", true), ("YES", true), ("on", true), ("0", false), ("false", false), ("", false)])
    func offlineValues(value: String, offline: Bool) {
        #expect(PresetEnvironment(variables: ["KERAS_HUB_OFFLINE": value], homeDirectory: home).isOffline == offline)
    }

    @Test func mirrorValues() {
        let cwd = URL(fileURLWithPath: "/work", isDirectory: true)
        #expect(PresetMirror(parsing: "/srv/mirror", currentDirectory: cwd) == .directory(URL(fileURLWithPath: "/srv/mirror", isDirectory: true)))
        #expect(PresetMirror(parsing: "file:///srv/mirror", currentDirectory: cwd)
            .map { if case .directory(let url) = $0 { url.path == "/srv/mirror" } else { false } } == true)
        #expect(PresetMirror(parsing: "mirror", currentDirectory: cwd) == .directory(URL(fileURLWithPath: "/work/mirror", isDirectory: true)))
        #expect(PresetMirror(parsing: "HTTP://host/x", currentDirectory: cwd) == .remote(URL(string: "HTTP://host/x")!))
        #expect(PresetMirror(parsing: "  ", currentDirectory: cwd) == nil)
    }

    @Test func sha256OfKnownVectors() throws {
        #expect(SHA256Digest.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("big.bin")
        let bytes = fixtureBytes(count: SHA256Digest.chunkSize * 2 + 17)
        try bytes.write(to: file)
        #expect(try SHA256Digest.hex(ofFileAt: file) == SHA256Digest.hex(of: bytes))
    }
}
