import Foundation
import Testing
@testable import KerasHubPresets

private let repository = "org/tiny-model"
private let weights = fixtureBytes(count: 300_000, seed: 7)
private let config = Data(#"{"model_type": "bert"}"#.utf8)
private let pooling = Data(#"{"pooling_mode_mean_tokens": true}"#.utf8)

private var presetFiles: [RemoteFile] {
    [RemoteFile(path: "config.json"),
     RemoteFile(path: "model.safetensors", sha256: SHA256Digest.hex(of: weights), size: weights.count),
     RemoteFile(path: "1_Pooling/config.json", sha256: SHA256Digest.hex(of: pooling).uppercased())]
}

private var hubRoutes: [String: ServerBehavior] {
    ["/org/tiny-model/resolve/main/config.json": .file(config),
     "/org/tiny-model/resolve/main/model.safetensors": .file(weights),
     "/org/tiny-model/resolve/main/1_Pooling/config.json": .file(pooling)]
}

@Suite struct PresetDownloaderTests {
    @Test func downloadsIntoTheCacheByteIdentical() throws {
        let server = try TestHTTPServer(routes: hubRoutes)
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
            .fetch(repository: repository, revision: "main", files: presetFiles)

        #expect(directory.standardizedFileURL == cache.url.appendingPathComponent("org/tiny-model/main").standardizedFileURL)
        #expect(try Data(contentsOf: directory.appendingPathComponent("config.json")) == config)
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        #expect(try Data(contentsOf: directory.appendingPathComponent("1_Pooling/config.json")) == pooling)
        // A verification record for every file; no partials left behind.
        #expect(listFiles(directory) == ["1_Pooling/config.json", "1_Pooling/config.json.sha256", "config.json",
                                         "config.json.sha256", "model.safetensors", "model.safetensors.sha256"])
        #expect(try recordedDigest(directory.appendingPathComponent("model.safetensors.sha256")) == SHA256Digest.hex(of: weights))
        #expect(server.requests.count == 3)
    }

    @Test func secondFetchMakesNoRequest() throws {
        let server = try TestHTTPServer(routes: hubRoutes)
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let downloader = testDownloader(cache: cache.url, hub: server.baseURL)

        let first = try downloader.fetch(repository: repository, revision: "main", files: presetFiles)
        let count = server.requests.count
        let second = try downloader.fetch(repository: repository, revision: "main", files: presetFiles)

        #expect(first == second)
        #expect(count == 3)
        #expect(server.requests.count == count)
        #expect(try downloader.missingFiles(repository: repository, revision: "main", files: presetFiles).isEmpty)
    }

    @Test func aCachedFileModifiedAfterVerificationIsRehashedAndReplaced() throws {
        let server = try TestHTTPServer(routes: hubRoutes)
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let downloader = testDownloader(cache: cache.url, hub: server.baseURL)
        let directory = try downloader.fetch(repository: repository, revision: "main", files: presetFiles)

        // Same size, different bytes, written after the sidecar: the sidecar no longer vouches.
        let target = directory.appendingPathComponent("model.safetensors")
        var corrupted = weights
        corrupted[10] ^= 0xFF
        Thread.sleep(forTimeInterval: 0.01)
        try corrupted.write(to: target)
        #expect(try downloader.missingFiles(repository: repository, revision: "main", files: presetFiles).map(\.path) == ["model.safetensors"])

        _ = try downloader.fetch(repository: repository, revision: "main", files: presetFiles)
        #expect(try Data(contentsOf: target) == weights)
        #expect(server.requests.count == 4)
        #expect(server.requests.last?.path == "/org/tiny-model/resolve/main/model.safetensors")
    }

    @Test func followsRedirects() throws {
        let server = try TestHTTPServer(routes: [
            "/org/tiny-model/resolve/main/model.safetensors": .redirect(to: "/cdn/blobs/abc123"),
            "/cdn/blobs/abc123": .file(weights),
        ])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
            .fetch(repository: repository, revision: "main", files: [presetFiles[1]])

        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        #expect(server.requests.map(\.path) == ["/org/tiny-model/resolve/main/model.safetensors", "/cdn/blobs/abc123"])
    }

    @Test func anHTTPMirrorIsLaidOutWithoutRevision() throws {
        let server = try TestHTTPServer(routes: [
            "/mirror/org/tiny-model/config.json": .file(config),
            "/mirror/org/tiny-model/model.safetensors": .file(weights),
        ])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror/"))

        let directory = try testDownloader(cache: cache.url, mirror: mirror)
            .fetch(repository: repository, revision: "v1.0", files: Array(presetFiles.prefix(2)))

        #expect(directory.lastPathComponent == "v1.0")
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        // The mirror is first asked for its checksum list (404 here: none, see ChecksumListTests).
        #expect(server.requests.map(\.path) == ["/mirror/org/tiny-model/SHA256SUMS", "/mirror/org/tiny-model/config.json",
                                                "/mirror/org/tiny-model/model.safetensors"])
    }

    @Test func aDirectoryMirrorWorksWithoutAnyServerEvenOffline() throws {
        let mirror = try TemporaryDirectory()
        defer { mirror.remove() }
        let source = mirror.url.appendingPathComponent("org/tiny-model", isDirectory: true)
        try FileManager.default.createDirectory(at: source.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        try config.write(to: source.appendingPathComponent("config.json"))
        try weights.write(to: source.appendingPathComponent("model.safetensors"))
        try pooling.write(to: source.appendingPathComponent("1_Pooling/config.json"))
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        for offline in [false, true] {
            let directory = try testDownloader(cache: cache.url.appendingPathComponent("\(offline)"), mirror: .directory(mirror.url), offline: offline)
                .fetch(repository: repository, revision: "main", files: presetFiles)
            #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
            #expect(try Data(contentsOf: directory.appendingPathComponent("1_Pooling/config.json")) == pooling)
            #expect(!listFiles(directory).contains { $0.hasSuffix(".partial") })
        }
    }

    @Test func aDirectoryMirrorWithAWrongFileKeepsNothing() throws {
        let mirror = try TemporaryDirectory()
        defer { mirror.remove() }
        let source = mirror.url.appendingPathComponent("org/tiny-model", isDirectory: true)
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try config.write(to: source.appendingPathComponent("model.safetensors"))
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: .directory(mirror.url))
                .fetch(repository: repository, files: [presetFiles[1]])
        }
        guard case .sizeMismatch(let file, _, let expected, let found)? = error else {
            Issue.record("expected a size mismatch, got \(String(describing: error))")
            return
        }
        #expect(file == "model.safetensors" && expected == weights.count && found == config.count)
        #expect(listFiles(cache.url).isEmpty)

        let missing = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: .directory(mirror.url))
                .fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        }
        #expect(missing == .notFound(file: "vocab.txt", url: source.appendingPathComponent("vocab.txt")))
    }

    @Test func progressIsReportedToAnInjectedReporter() throws {
        let server = try TestHTTPServer(routes: hubRoutes)
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let progress = RecordingProgress()

        _ = try testDownloader(cache: cache.url, hub: server.baseURL, progress: progress)
            .fetch(repository: repository, files: [presetFiles[1]])

        let events = progress.events
        #expect(events.first == .begin("model.safetensors", 0, weights.count))
        #expect(events.last == .end)
        #expect(events.dropLast().last == .update(weights.count))
    }
}
