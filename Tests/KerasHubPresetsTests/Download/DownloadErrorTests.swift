import Foundation
import Testing
@testable import KerasHubPresets

private let repository = "org/errors"
private let weights = fixtureBytes(count: 100_000, seed: 3)
private let wrong = fixtureBytes(count: 100_000, seed: 4)

@Suite struct DownloadErrorTests {
    @Test func aWrongChecksumNamesTheFileAndBothHashesAndKeepsNothing() throws {
        let server = try TestHTTPServer(routes: ["/org/errors/resolve/main/model.safetensors": .file(wrong)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let expected = SHA256Digest.hex(of: weights)

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", sha256: expected, size: weights.count)])
        }

        let url = try #require(URL(string: server.baseURL.absoluteString + "/org/errors/resolve/main/model.safetensors"))
        #expect(error == .checksumMismatch(file: "model.safetensors", source: url, expected: expected, found: SHA256Digest.hex(of: wrong)))
        let text = error?.description ?? ""
        #expect(text.contains("model.safetensors") && text.contains(expected) && text.contains(SHA256Digest.hex(of: wrong)))
        #expect(listFiles(cache.url).isEmpty, "no file and no .partial may stay in the cache")
        #expect(server.requests.count == 1)
    }

    @Test func aWrongSizeIsAnErrorAndKeepsNothing() throws {
        let server = try TestHTTPServer(routes: ["/org/errors/resolve/main/model.safetensors": .file(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", size: weights.count - 1)])
        }

        guard case .sizeMismatch("model.safetensors", _, weights.count - 1, weights.count)? = error else {
            Issue.record("expected a size mismatch, got \(String(describing: error))")
            return
        }
        #expect(listFiles(cache.url).isEmpty)
    }

    @Test func notFoundNamesTheURL() throws {
        let server = try TestHTTPServer(routes: [:])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL)
                .fetch(repository: repository, revision: "refs/pr/1", files: [RemoteFile(path: "tokenizer config.json")])
        }

        let url = server.baseURL.absoluteString + "/org/errors/resolve/refs%2Fpr%2F1/tokenizer%20config.json"
        #expect(error == .notFound(file: "tokenizer config.json", url: try #require(URL(string: url))))
        #expect(error?.description.contains(url) == true)
        #expect(server.requests.map(\.path) == ["/org/errors/resolve/refs%2Fpr%2F1/tokenizer%20config.json"])
        #expect(listFiles(cache.url).isEmpty)
    }

    @Test func otherStatusesAreReported() throws {
        let server = try TestHTTPServer(routes: ["/org/errors/resolve/main/config.json": .status(503)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        }

        guard case .httpStatus("config.json", _, 503)? = error else {
            Issue.record("expected HTTP 503, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("HTTP 503") == true)
        #expect(server.requests.count == 4, "a 503 is retried three times")
    }

    @Test func aBrieflyUnavailableServerIsRetried() throws {
        let server = try TestHTTPServer(routes: ["/org/errors/resolve/main/model.safetensors": .failing(status: 502, times: 2, then: weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
            .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", sha256: SHA256Digest.hex(of: weights))])

        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        #expect(server.requests.count == 3)
    }

    @Test func forbiddenIsNotRetriedAndHintsAtGatedRepositories() throws {
        let server = try TestHTTPServer(routes: ["/org/errors/resolve/main/config.json": .status(403)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        }

        #expect(error?.description.contains("gated or private") == true)
        #expect(server.requests.count == 1)
    }

    @Test func offlineWithAColdCacheNamesTheMissingFileAndMakesNoRequest() throws {
        let server = try TestHTTPServer(routes: ["/org/errors/resolve/main/config.json": .file(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL, offline: true)
                .fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        }

        let expectedAt = cache.url.appendingPathComponent("org/errors/main/config.json")
        guard case .offlineFileMissing("config.json", repository, let at, nil)? = error else {
            Issue.record("expected offlineFileMissing, got \(String(describing: error))")
            return
        }
        #expect(at.standardizedFileURL.path == expectedAt.standardizedFileURL.path)
        #expect(error?.description.contains("config.json") == true)
        #expect(error?.description.contains(at.path) == true)
        #expect(server.requests.isEmpty)
    }

    @Test func offlineWithAWarmCacheWorks() throws {
        let server = try TestHTTPServer(routes: ["/org/errors/resolve/main/model.safetensors": .file(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let files = [RemoteFile(path: "model.safetensors", sha256: SHA256Digest.hex(of: weights), size: weights.count)]
        let online = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: files)

        let offline = try testDownloader(cache: cache.url, hub: server.baseURL, offline: true).fetch(repository: repository, files: files)

        #expect(offline == online)
        #expect(server.requests.count == 1)
    }

    @Test func offlineExplainsACachedFileThatFailsItsCheck() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let directory = cache.url.appendingPathComponent("org/errors/main", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try wrong.write(to: directory.appendingPathComponent("model.safetensors"))

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, offline: true)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", sha256: SHA256Digest.hex(of: weights))])
        }

        guard case .offlineFileMissing(_, _, _, let problem?)? = error else {
            Issue.record("expected offlineFileMissing with a reason, got \(String(describing: error))")
            return
        }
        #expect(problem.contains(SHA256Digest.hex(of: wrong)))
    }

    @Test(arguments: ["../escape", "/etc/passwd", "a//b", "a/./b", ""])
    func pathsThatCouldEscapeTheCacheAreRejected(path: String) throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let downloader = testDownloader(cache: cache.url, offline: true)

        let error = downloadError { _ = try downloader.fetch(repository: repository, files: [RemoteFile(path: path)]) }
        guard case .invalidPath? = error else {
            Issue.record("expected invalidPath for '\(path)', got \(String(describing: error))")
            return
        }
        #expect(downloadError { _ = try downloader.fetch(repository: path, files: []) }.map { if case .invalidPath = $0 { true } else { false } } == true)
        #expect(downloadError { _ = try downloader.fetch(repository: repository, revision: "..", files: []) } != nil)
    }
}
