import Foundation
import Testing
@testable import KerasHubPresets

private let repository = "org/tiny-model"
private let weights = fixtureBytes(count: 200_000, seed: 11)
private let config = Data(#"{"model_type": "bert"}"#.utf8)
private let listURL = URL(fileURLWithPath: "/mirror/org/tiny-model/SHA256SUMS")

/// `sha256sum` output for `files`.
private func sums(_ files: [(String, Data)]) -> Data {
    Data(files.map { "\(SHA256Digest.hex(of: $0.1))  \($0.0)\n" }.joined().utf8)
}

/// Mirror routes under `/mirror/org/tiny-model/`.
private func mirrorRoutes(list: ServerBehavior?, weightsBytes: Data = weights) -> [String: ServerBehavior] {
    var routes: [String: ServerBehavior] = [
        "/mirror/org/tiny-model/config.json": .file(config),
        "/mirror/org/tiny-model/model.safetensors": .file(weightsBytes),
    ]
    if let list { routes["/mirror/org/tiny-model/SHA256SUMS"] = list }
    return routes
}

@Suite struct ChecksumListTests {
    // MARK: parsing

    @Test func parsesSha256sumOutput() throws {
        let digest = SHA256Digest.hex(of: weights)
        let text = """
            # made by sha256sum
            \(digest)  model.safetensors
            \(digest.uppercased()) *./1_Pooling/config.json

            """
        let list = try ChecksumList(parsing: text, source: listURL)
        #expect(list.digest(for: "model.safetensors") == digest)
        #expect(list.digest(for: "1_Pooling/config.json") == digest)
        #expect(list.digest(for: "config.json") == nil)
    }

    @Test(arguments: [
        "abc  model.safetensors",
        String(repeating: "g", count: 64) + "  model.safetensors",
        String(repeating: "a", count: 64) + " model.safetensors",
        String(repeating: "a", count: 64) + "  ../escape",
        String(repeating: "a", count: 64) + "  /absolute",
        String(repeating: "a", count: 64) + "  x\n" + String(repeating: "b", count: 64) + "  x",
    ])
    func rejectsMalformedLines(text: String) {
        let error = downloadError { _ = try ChecksumList(parsing: text, source: listURL) }
        guard case .invalidChecksumList(let list, let reason)? = error else {
            Issue.record("expected invalidChecksumList, got \(String(describing: error))")
            return
        }
        #expect(list == listURL)
        #expect(reason.hasPrefix("line "))
    }

    // MARK: the rule

    @Test func thePinnedChecksumWinsAndAConflictingListIsAnError() throws {
        let pinned = SHA256Digest.hex(of: weights)
        let other = String(repeating: "0", count: 64)
        let agreeing = try ChecksumList(parsing: "\(pinned)  model.safetensors\n", source: listURL)
        let disagreeing = try ChecksumList(parsing: "\(other)  model.safetensors\n", source: listURL)
        let file = RemoteFile(path: "model.safetensors", sha256: pinned.uppercased(), size: weights.count)

        #expect(try ChecksumList.expectation(for: file, list: agreeing) == file)
        #expect(try ChecksumList.expectation(for: file, list: nil) == file)
        #expect(try ChecksumList.expectation(for: file, list: try ChecksumList(parsing: "", source: listURL)) == file)
        #expect(downloadError { _ = try ChecksumList.expectation(for: file, list: disagreeing) }
            == .checksumConflict(file: "model.safetensors", list: listURL, pinned: pinned, listed: other))
    }

    @Test func anUnpinnedFileTakesTheListedDigestAndMustBeListed() throws {
        let digest = SHA256Digest.hex(of: weights)
        let list = try ChecksumList(parsing: "\(digest)  model.safetensors\n", source: listURL)
        let file = RemoteFile(path: "model.safetensors", size: weights.count)
        #expect(try ChecksumList.expectation(for: file, list: list) == RemoteFile(path: "model.safetensors", sha256: digest, size: weights.count))
        #expect(downloadError { _ = try ChecksumList.expectation(for: RemoteFile(path: "config.json"), list: list) }
            == .notInChecksumList(file: "config.json", list: listURL))
    }

    // MARK: through the downloader, HTTP mirror

    @Test func anHTTPMirrorsListVerifiesUnpinnedFilesAndIsReadOnce() throws {
        let server = try TestHTTPServer(routes: mirrorRoutes(list: .file(sums([("config.json", config), ("model.safetensors", weights)]))))
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))
        let downloader = testDownloader(cache: cache.url, mirror: mirror)

        let directory = try downloader.fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        _ = try downloader.fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])

        #expect(server.requests.map(\.path) == ["/mirror/org/tiny-model/SHA256SUMS", "/mirror/org/tiny-model/config.json",
                                                "/mirror/org/tiny-model/model.safetensors"])
        // Verified against the list: sidecars vouch for both files; the list itself is not cached.
        #expect(listFiles(directory) == ["config.json", "config.json.sha256", "model.safetensors", "model.safetensors.sha256"])
        #expect(try recordedDigest(directory.appendingPathComponent("model.safetensors.sha256")) == SHA256Digest.hex(of: weights))
    }

    @Test func bytesThatDoNotMatchTheListAreRejectedAndNotKept() throws {
        var corrupted = weights
        corrupted[100] ^= 0x01
        let server = try TestHTTPServer(routes: mirrorRoutes(list: .file(sums([("config.json", config), ("model.safetensors", weights)])),
                                                             weightsBytes: corrupted))
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: mirror).fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        }
        guard case .checksumMismatch(let file, _, let expected, let found)? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(file == "model.safetensors" && expected == SHA256Digest.hex(of: weights) && found == SHA256Digest.hex(of: corrupted))
        #expect(listFiles(cache.url).isEmpty)
    }

    @Test func aListCannotOverrideAPinnedChecksum() throws {
        // The mirror serves other bytes and a list that vouches for them: the pin still decides.
        var other = weights
        other[0] ^= 0xFF
        let server = try TestHTTPServer(routes: mirrorRoutes(list: .file(sums([("config.json", config), ("model.safetensors", other)])),
                                                             weightsBytes: other))
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))
        let pinned = SHA256Digest.hex(of: weights)

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: mirror)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", sha256: pinned)])
        }
        #expect(error == .checksumConflict(file: "model.safetensors", list: server.baseURL.appendingPathComponent("mirror/org/tiny-model/SHA256SUMS"),
                                           pinned: pinned, listed: SHA256Digest.hex(of: other)))
        #expect(!server.requests.map(\.path).contains("/mirror/org/tiny-model/model.safetensors"))
        #expect(listFiles(cache.url).isEmpty)
    }

    @Test func aPinnedFileIsStillVerifiedWhenTheListOmitsIt() throws {
        var other = weights
        other[0] ^= 0xFF
        let server = try TestHTTPServer(routes: mirrorRoutes(list: .file(sums([("config.json", config)])), weightsBytes: other))
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: mirror)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", sha256: SHA256Digest.hex(of: weights))])
        }
        guard case .checksumMismatch? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
    }

    @Test func anUnlistedUnpinnedFileIsAnErrorBeforeAnyTransfer() throws {
        let server = try TestHTTPServer(routes: mirrorRoutes(list: .file(sums([("config.json", config)]))))
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: mirror).fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        }
        #expect(error == .notInChecksumList(file: "model.safetensors", list: server.baseURL.appendingPathComponent("mirror/org/tiny-model/SHA256SUMS")))
        #expect(server.requests.map(\.path) == ["/mirror/org/tiny-model/SHA256SUMS"])
    }

    /// Documented behaviour: from a mirror without a list, pinned files are verified and unpinned
    /// ones are accepted at the length the mirror states (`Content-Length`); each gets a record of
    /// the sha256 it arrived with, so a later change in the cache is noticed.
    @Test func withoutAListUnpinnedFilesAreAcceptedAsServedAndPinnedOnesVerified() throws {
        let server = try TestHTTPServer(routes: mirrorRoutes(list: nil))
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))
        let downloader = testDownloader(cache: cache.url, mirror: mirror)

        let directory = try downloader.fetch(repository: repository, files: [
            RemoteFile(path: "config.json"),
            RemoteFile(path: "model.safetensors", sha256: SHA256Digest.hex(of: weights), size: weights.count),
        ])
        #expect(listFiles(directory) == ["config.json", "config.json.sha256", "model.safetensors", "model.safetensors.sha256"])
        #expect(server.requests.map(\.path) == ["/mirror/org/tiny-model/SHA256SUMS", "/mirror/org/tiny-model/config.json",
                                                "/mirror/org/tiny-model/model.safetensors"])
    }

    @Test func aFailingListIsAnErrorNotASilentFallback() throws {
        let server = try TestHTTPServer(routes: mirrorRoutes(list: .status(403)))
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))

        let error = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: mirror).fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        }
        guard case .httpStatus(let file, _, 403)? = error else {
            Issue.record("expected httpStatus 403, got \(String(describing: error))")
            return
        }
        #expect(file == "SHA256SUMS")
    }

    @Test func theHubIsNeverAskedForAList() throws {
        let server = try TestHTTPServer(routes: ["/org/tiny-model/resolve/main/config.json": .file(config)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        #expect(server.requests.map(\.path) == ["/org/tiny-model/resolve/main/config.json"])
    }

    // MARK: directory mirror

    @Test func aDirectoryMirrorsListIsUsedEvenOffline() throws {
        let mirror = try TemporaryDirectory()
        defer { mirror.remove() }
        let source = mirror.url.appendingPathComponent("org/tiny-model", isDirectory: true)
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try config.write(to: source.appendingPathComponent("config.json"))
        try weights.write(to: source.appendingPathComponent("model.safetensors"))
        try sums([("config.json", config), ("model.safetensors", weights)]).write(to: source.appendingPathComponent("SHA256SUMS"))
        let cache = try TemporaryDirectory()
        defer { cache.remove() }

        let directory = try testDownloader(cache: cache.url, mirror: .directory(mirror.url), offline: true)
            .fetch(repository: repository, files: [RemoteFile(path: "config.json"), RemoteFile(path: "model.safetensors")])
        #expect(listFiles(directory) == ["config.json", "config.json.sha256", "model.safetensors", "model.safetensors.sha256"])

        // A changed file no longer matches its listed digest.
        var corrupted = weights
        corrupted[5] ^= 0x10
        try corrupted.write(to: source.appendingPathComponent("model.safetensors"))
        let fresh = try TemporaryDirectory()
        defer { fresh.remove() }
        let error = downloadError {
            _ = try testDownloader(cache: fresh.url, mirror: .directory(mirror.url))
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        }
        guard case .checksumMismatch? = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
    }
}
