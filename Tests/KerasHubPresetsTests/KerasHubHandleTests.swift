import Foundation
import KerasHubModels
import KerasHubTensor
import Testing
@testable import KerasHubPresets

/// `kaggle://` and `hf://keras/...` handles: KerasHub-layout presets (h5 weights, shards, task files)
/// fetched from a local HTTP server laid out as Kaggle's API and the hub, made to misbehave.
@Suite struct KerasHubHandleTests {
    static func fixture(_ name: String) -> URL { KerasHubWrittenPresetTests.directory(name) }

    /// Every file of a fixture directory under `prefix`, e.g. `/api/v1/models/keras/bert/keras/tiny/2/download/`.
    static func routes(of fixture: String, under prefix: String) throws -> [String: ServerBehavior] {
        let root = Self.fixture(fixture)
        var routes: [String: ServerBehavior] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            routes[prefix + relative] = .file(try Data(contentsOf: url))
        }
        return routes
    }

    static func environment(server: TestHTTPServer, offline: Bool = false, cache: URL) -> PresetEnvironment {
        PresetEnvironment(
            cacheDirectory: cache, mirror: nil, isOffline: offline, hubEndpoint: server.baseURL,
            kaggleEndpoint: server.baseURL.appendingPathComponent("api/v1"))
    }

    @Test func parsesKaggleHandles() throws {
        let handle = try KaggleHandle("kaggle://keras/bert/keras/bert_base_en_uncased/3")
        #expect(handle.path == "keras/bert/keras/bert_base_en_uncased" && handle.version == 3)
        #expect(try KaggleHandle("kaggle://keras/bge/keras/bge_small_v1.5_en").version == nil)
        for bad in ["kaggle://keras/bert/keras", "kaggle://keras/bert/keras/x/0", "kaggle://keras/bert/keras/x/v2", "kaggle://keras/../keras/x",
                    "kaggle://keras/bert/keras/x/1/extra", "kaggle://keras//keras/x", "kaggle://keras/bert/keras/x y", "kaggle://a/b/c/d/99999999"] {
            #expect(throws: PresetError.self, "\(bad)") { try KaggleHandle(bad) }
        }
    }

    /// Every built-in preset names KerasHub's own versioned handle for it.
    @Test func builtInPresetsNameTheirKerasHubHandles() throws {
        for preset in PresetRegistry.builtIn.presets {
            let handle = try KaggleHandle(try #require(preset.kerasHubHandle, "\(preset.name)"))
            #expect(handle.owner == "keras" && handle.variation == preset.name && handle.version != nil, "\(preset.name)")
        }
    }

    /// An unversioned Kaggle handle asks Kaggle for the latest version, follows a redirect to the
    /// file store, fetches KerasHub's files, and the classifier gives KerasHub's logits; then the
    /// cache alone serves it offline.
    @Test func kaggleClassifierLoadsAndWorksOffline() throws {
        let prefix = "/api/v1/models/keras/bert/keras/tiny_classifier/2/download/"
        var routes = try Self.routes(of: "bert_classifier", under: prefix)
        routes["/api/v1/models/keras/bert/keras/tiny_classifier/get"] = .file(Data(#"{"versionNumber": 2, "framework": "keras"}"#.utf8))
        // Kaggle answers downloads with a redirect to its file store.
        routes["/store/model.weights.h5"] = routes[prefix + "model.weights.h5"]
        routes[prefix + "model.weights.h5"] = .redirect(to: "/store/model.weights.h5")
        let server = try TestHTTPServer(routes: routes)
        defer { server.stop() }
        let cache = try makeTemporaryDirectory("kh-kaggle-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let directory = try PresetResolver.resolve(
            "kaggle://keras/bert/keras/tiny_classifier", for: .backbone(loadWeights: true),
            environment: Self.environment(server: server, cache: cache))
        #expect(directory.url.path.hasPrefix(cache.path) && directory.url.lastPathComponent == "2")
        for file in ["config.json", "tokenizer.json", "assets/tokenizer/vocabulary.txt", "task.json", "task.weights.h5", "model.weights.h5"] {
            #expect(directory.has(file), "\(file)")
        }
        let expected = try KerasHubWeightsTests.outputs("bert_classifier", as: KerasHubWeightsTests.ClassifierOutputs.self)
        let classifier = try TextClassifier.fromPreset(directory.url.path)
        let logits = try classifier.predict(expected.texts)
        #expect(KerasHubWeightsTests.largestDifference(logits, expected.logits.flatMap { $0 }) <= 1e-4)
        server.stop()
        // Offline, the unversioned handle takes the newest cached version.
        let offline = try PresetResolver.resolve(
            "kaggle://keras/bert/keras/tiny_classifier", for: .backbone(loadWeights: true),
            environment: Self.environment(server: server, offline: true, cache: cache))
        #expect(offline.url == directory.url)
        #expect(throws: PresetDownloadError.self) {
            try PresetResolver.resolve(
                "kaggle://keras/bert/keras/never_fetched", for: .backbone(loadWeights: true),
                environment: Self.environment(server: server, offline: true, cache: cache))
        }
    }

    /// `hf://keras/...` presets are KerasHub's layout on the hub: sharded h5 weights come with their shards.
    @Test func hubKerasPresetWithShards() throws {
        let server = try TestHTTPServer(routes: try Self.routes(of: "gpt2_backbone_sharded", under: "/keras/tiny_gpt2/resolve/main/"))
        defer { server.stop() }
        let cache = try makeTemporaryDirectory("kh-hf-keras-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let directory = try PresetResolver.resolve(
            "hf://keras/tiny_gpt2", for: .backbone(loadWeights: true), environment: Self.environment(server: server, cache: cache))
        #expect(directory.has("model.weights.json") && directory.has("model_00000.weights.h5") && directory.has("model_00001.weights.h5"))
        let expected = try KerasHubWeightsTests.outputs("gpt2_backbone_sharded", as: KerasHubWeightsTests.BackboneOutputs.self)
        let backbone = try directory.loadBackbone()
        let outputs = try backbone(TokenBatch(tokenIds: expected.tokenIds, paddingMask: expected.paddingMask))
        #expect(KerasHubWeightsTests.largestDifference(outputs.sequenceOutput, expected.sequenceOutput) <= 1e-4)
        // Without weights, no weights file is fetched.
        let cache2 = try makeTemporaryDirectory("kh-hf-keras-cache2")
        defer { try? FileManager.default.removeItem(at: cache2) }
        let bare = try PresetResolver.resolve(
            "hf://keras/tiny_gpt2", for: .backbone(loadWeights: false), environment: Self.environment(server: server, cache: cache2))
        #expect(!bare.has("model.weights.json") && !bare.has("model_00000.weights.h5"))
    }

    /// A shard list naming a file outside the preset is refused before anything is fetched for it;
    /// Kaggle answering without a version is an error naming the URL.
    @Test func hostileServersAreRefused() throws {
        var routes = try Self.routes(of: "gpt2_backbone_sharded", under: "/keras/evil/resolve/main/")
        routes["/keras/evil/resolve/main/model.weights.json"] = .file(Data(#"{"weight_map": {"/layers/x/vars": "../../../escape.weights.h5"}}"#.utf8))
        routes["/api/v1/models/keras/bert/keras/broken/get"] = .file(Data(#"{"versionNumber": "latest"}"#.utf8))
        let server = try TestHTTPServer(routes: routes)
        defer { server.stop() }
        let cache = try makeTemporaryDirectory("kh-hostile-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        #expect(throws: KerasWeightsError.self) {
            try PresetResolver.resolve("hf://keras/evil", for: .backbone(loadWeights: true), environment: Self.environment(server: server, cache: cache))
        }
        #expect(!server.requests.contains { $0.path.contains("escape") })
        do {
            _ = try PresetResolver.resolve(
                "kaggle://keras/bert/keras/broken", for: .backbone(loadWeights: true), environment: Self.environment(server: server, cache: cache))
            Issue.record("a version that is not a number must be an error")
        } catch let error as PresetDownloadError {
            #expect("\(error)".contains("versionNumber"), "\(error)")
        }
    }
}
