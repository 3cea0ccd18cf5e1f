import Foundation
import Testing
@testable import KerasHubPresets

private let repository = "org/resume"
private let path = "/org/resume/resolve/main/model.safetensors"
private let weights = fixtureBytes(count: 400_000, seed: 11)
private let file = RemoteFile(path: "model.safetensors", sha256: SHA256Digest.hex(of: weights), size: weights.count)

/// Writes `bytes` as the partial download of `model.safetensors` in `cache`.
private func seedPartial(_ bytes: Data, in cache: URL) throws -> URL {
    let directory = cache.appendingPathComponent("org/resume/main", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let partial = directory.appendingPathComponent("model.safetensors.partial")
    try bytes.write(to: partial)
    return partial
}

@Suite struct ResumeTests {
    @Test func anExistingPartialIsCompletedWithARangeRequest() throws {
        let server = try TestHTTPServer(routes: [path: .file(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let half = weights.count / 2
        let partial = try seedPartial(weights.prefix(half), in: cache.url)

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])

        #expect(server.requests == [RecordedRequest(path: path, range: "bytes=\(half)-")])
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }

    @Test func aDroppedConnectionIsRetriedFromWhatArrived() throws {
        let server = try TestHTTPServer(routes: [path: .dropping(weights, times: 1)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])

        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests.first?.range == nil)
        // The retry resumes from the bytes that were written before the drop (half, or a little
        // less if the client had not flushed its last chunk when the connection died).
        let resumedFrom = requests.last?.range.flatMap { Int($0.dropFirst(6).dropLast()) }
        #expect(resumedFrom.map { $0 > 0 && $0 <= weights.count / 2 } == true, "\(requests)")
    }

    @Test func aDroppedConnectionWithoutAKnownSizeIsRetriedToo() throws {
        let server = try TestHTTPServer(routes: [path: .dropping(weights, times: 2)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
            .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])

        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        #expect(server.requests.count == 3)
    }

    @Test func aShortResponseIsCompletedWhenTheSizeIsKnown() throws {
        let server = try TestHTTPServer(routes: [path: .truncating(weights, times: 1)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])

        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        // The resumed request names the validator the first half came with.
        #expect(server.requests == [RecordedRequest(path: path, range: nil),
                                    RecordedRequest(path: path, range: "bytes=\(weights.count / 2)-",
                                                    ifRange: TestHTTPServer.gitETag(weights))])
    }

    @Test func aServerIgnoringRangeRestartsFromZero() throws {
        let server = try TestHTTPServer(routes: [path: .fileIgnoringRange(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        _ = try seedPartial(weights.prefix(1000), in: cache.url)

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])

        #expect(server.requests == [RecordedRequest(path: path, range: "bytes=1000-")])
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
    }

    @Test func aStalePartialThatSplicesWrongIsDownloadedAgainFromZero() throws {
        let server = try TestHTTPServer(routes: [path: .file(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        _ = try seedPartial(fixtureBytes(count: 5000, seed: 99), in: cache.url)

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])

        #expect(server.requests == [RecordedRequest(path: path, range: "bytes=5000-"), RecordedRequest(path: path, range: nil)])
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
    }

    @Test func aCompletePartialIsVerifiedWithoutARequest() throws {
        let server = try TestHTTPServer(routes: [path: .file(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        _ = try seedPartial(weights, in: cache.url)

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])

        #expect(server.requests.isEmpty)
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
    }

    @Test func retriesAreBounded() throws {
        let server = try TestHTTPServer(routes: [path: .dropping(weights, times: 100)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL, maxRetries: 2).fetch(repository: repository, files: [file])
        }

        guard case .transferFailed(let name, let url, let attempts, _)? = error else {
            Issue.record("expected transferFailed, got \(String(describing: error))")
            return
        }
        #expect(name == "model.safetensors")
        #expect(url.absoluteString == server.baseURL.absoluteString + path)
        #expect(attempts == 3)
        #expect(server.requests.count == 3)
        #expect(error?.description.contains("after 3 attempts") == true)
    }

    @Test func aResumeSurvivesARedirect() throws {
        let server = try TestHTTPServer(routes: [path: .redirect(to: "/cdn/blob"), "/cdn/blob": .file(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        _ = try seedPartial(weights.prefix(1234), in: cache.url)

        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])

        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        #expect(server.requests == [RecordedRequest(path: path, range: "bytes=1234-"), RecordedRequest(path: "/cdn/blob", range: "bytes=1234-")])
    }
}
