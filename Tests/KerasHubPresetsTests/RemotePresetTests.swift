import Foundation
import KerasHubModels
@testable import KerasHubPresets
import Testing

/// Remote presets (built-in names and hf:// handles) through a mirror directory and a local HTTP hub.
@Suite struct RemotePresetTests {
    /// A mirror directory holding one fixture checkpoint as `<mirror>/<repository>/...`.
    func makeMirror(fixture: String, repository: String) throws -> URL {
        let mirror = try makeTemporaryDirectory("kh-mirror")
        let target = mirror.appendingPathComponent(repository)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.modelFixture(fixture), to: target)
        return mirror
    }

    func environment(mirror: URL?, offline: Bool = false) throws -> (PresetEnvironment, URL) {
        let cache = try makeTemporaryDirectory("kh-cache")
        return (PresetEnvironment(cacheDirectory: cache, mirror: mirror.map { .directory($0) }, isOffline: offline), cache)
    }

    func registry(repository: String, sha256: String?) -> PresetRegistry {
        PresetRegistry(presets: [BuiltInPreset(
            name: "tiny_test_preset", className: "DistilBertBackbone", description: "test", parameters: 0, bundled: nil,
            source: PresetSource(repository: repository, revision: "main", files: [
                PresetSourceFile(path: "config.json", sha256: nil, size: nil),
                PresetSourceFile(path: "model.safetensors", sha256: sha256, size: nil),
            ]),
            tokenizer: PresetTokenizerSpec(className: "DistilBertTokenizer", lowercase: true, vocabulary: nil, merges: nil),
            tasks: [])])
    }

    /// KerasHub's `tokenizer.json` lists no assets: the class's own asset files are fetched.
    @Test func kerasHubWrittenTokenizerFetchesItsClassAssets() throws {
        let repository = "test-org/keras-roberta"
        let mirror = try makeTemporaryDirectory("kh-mirror")
        let target = mirror.appendingPathComponent(repository)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Repository.root.appendingPathComponent("Tests/KerasHubPresetsTests/Fixtures/kerashub/roberta_classifier"), to: target)
        let (environment, cache) = try environment(mirror: mirror)
        defer { try? FileManager.default.removeItem(at: mirror); try? FileManager.default.removeItem(at: cache) }
        let directory = try PresetResolver.resolve("hf://\(repository)", for: .tokenizer, environment: environment)
        #expect(directory.url.path.hasPrefix(cache.path))
        #expect(directory.has("assets/tokenizer/vocabulary.json") && directory.has("assets/tokenizer/merges.txt"))
        let tokenizer = try TokenizerLoader.load(directory)
        #expect(tokenizer is RobertaTokenizer)
    }

    @Test func builtInPresetDownloadsFromTheMirrorIntoTheCacheThenWorksOffline() throws {
        let repository = "test-org/tiny-distilbert"
        let mirror = try makeMirror(fixture: "distilbert_a", repository: repository)
        let (environment, cache) = try environment(mirror: mirror)
        defer { try? FileManager.default.removeItem(at: mirror); try? FileManager.default.removeItem(at: cache) }
        let checksum = try SHA256Digest.hex(ofFileAt: Repository.modelFixture("distilbert_a").appendingPathComponent("model.safetensors"))
        let directory = try PresetResolver.resolve(
            "tiny_test_preset", for: .backbone(loadWeights: true), registry: registry(repository: repository, sha256: checksum),
            environment: environment)
        #expect(directory.url.path.hasPrefix(cache.path))
        #expect(try directory.loadBackbone() is DistilBertBackbone)
        // With the mirror gone and offline on, the cache alone serves the preset.
        try FileManager.default.removeItem(at: mirror)
        let offline = PresetEnvironment(cacheDirectory: cache, mirror: nil, isOffline: true)
        let again = try PresetResolver.resolve(
            "tiny_test_preset", for: .backbone(loadWeights: true), registry: registry(repository: repository, sha256: checksum),
            environment: offline)
        #expect(try again.loadBackbone().parameterCount > 0)
    }

    @Test func wrongChecksumIsAnErrorAndOfflineNamesTheMissingFile() throws {
        let repository = "test-org/tiny-distilbert"
        let mirror = try makeMirror(fixture: "distilbert_a", repository: repository)
        let (environment, cache) = try environment(mirror: mirror)
        defer { try? FileManager.default.removeItem(at: mirror); try? FileManager.default.removeItem(at: cache) }
        #expect(throws: PresetDownloadError.self) {
            try PresetResolver.resolve(
                "tiny_test_preset", for: .backbone(loadWeights: true),
                registry: registry(repository: repository, sha256: String(repeating: "0", count: 64)), environment: environment)
        }
        let offline = PresetEnvironment(cacheDirectory: cache, mirror: nil, isOffline: true)
        do {
            _ = try PresetResolver.resolve(
                "tiny_test_preset", for: .backbone(loadWeights: true), registry: registry(repository: repository, sha256: nil),
                environment: offline)
            Issue.record("offline with a cold cache must fail")
        } catch let error as PresetDownloadError {
            #expect(error.description.contains("config.json") || error.description.contains("model.safetensors"))
        }
    }

    @Test func hubHandleFetchesConfigWeightsAndTokenizerFilesOverHTTP() throws {
        let fixture = Repository.modelFixture("gpt2_a")
        var routes: [String: ServerBehavior] = [:]
        for name in ["config.json", "model.safetensors"] {
            routes["/test-org/gpt2-tiny/resolve/main/\(name)"] = .file(try Data(contentsOf: fixture.appendingPathComponent(name)))
        }
        let server = try TestHTTPServer(routes: routes)
        defer { server.stop() }
        let cache = try makeTemporaryDirectory("kh-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let environment = PresetEnvironment(cacheDirectory: cache, mirror: nil, isOffline: false, hubEndpoint: server.baseURL)
        let directory = try PresetResolver.resolve("hf://test-org/gpt2-tiny", for: .backbone(loadWeights: true), environment: environment)
        #expect(try directory.loadBackbone() is GPT2Backbone)
        // Optional tokenizer files the repository lacks were asked for and skipped (404).
        #expect(server.requests.contains { $0.path.hasSuffix("/merges.txt") })
        #expect(throws: PresetError.self) { try HubHandle("hf://only-one-part") }
        #expect(try HubHandle("hf://a/b@v1.0") == HubHandle("hf://a/b@v1.0"))
        #expect(try HubHandle("hf://a/b@v1.0").revision == "v1.0")
    }
}
