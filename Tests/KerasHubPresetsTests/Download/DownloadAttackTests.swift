import Foundation
import KerasHubModels
import Synchronization
import Testing
@testable import KerasHubPresets

private let repository = "org/attack"
private func hubPath(_ file: String) -> String { "/org/attack/resolve/main/\(file)" }
private let weights = fixtureBytes(count: 300_000, seed: 21)
private let vocabulary = Data((0..<4000).map { "word\($0)\n" }.joined().utf8)

/// Issue 16's download cases, each against the 127.0.0.1 test server made to misbehave: every
/// one ends in the right bytes or a typed error, and nothing unverified under a real name.
@Suite struct DownloadAttackTests {
    // MARK: 1. Nothing is promoted unverified

    /// A body cut short without a `Content-Length` fails the git blob id the hub states; it is
    /// fetched again from zero, and the cache ends with the whole file.
    @Test func aCutBodyFromTheHubIsCaughtByItsETagAndFetchedAgain() throws {
        let server = try TestHTTPServer(routes: [hubPath("vocab.txt"): .truncating(vocabulary, times: 1)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
            .fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        #expect(try Data(contentsOf: directory.appendingPathComponent("vocab.txt")) == vocabulary)
        #expect(server.requests.count == 2)
    }

    /// A server that keeps cutting the body never gets it into the cache; once it recovers, the
    /// next run downloads the file (a cut copy used to stay and fail every later run).
    @Test func aPermanentlyCutBodyIsNeverCachedAndARecoveredServerIsUsed() throws {
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let file = RemoteFile(path: "model.safetensors")
        do {
            let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .truncating(weights, times: 100)])
            defer { server.stop() }
            let error = downloadError {
                _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])
            }
            guard case .digestMismatch(let name, _, "git blob id", "ETag", _, _)? = error else {
                Issue.record("expected a git blob id mismatch, got \(String(describing: error))")
                return
            }
            #expect(name == "model.safetensors")
            #expect(listFiles(cache.url).isEmpty)
        }
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .file(weights)])
        defer { server.stop() }
        let directory = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [file])
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
    }

    /// The hub's LFS redirect states the sha256 and size; the CDN's bytes are checked against them.
    @Test func anLFSFileIsCheckedAgainstTheSHA256TheHubStates() throws {
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .lfsFile(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
            .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        #expect(server.requests.map(\.path) == [hubPath("model.safetensors"), "/cdn" + hubPath("model.safetensors")])
    }

    @Test func anLFSFileDisagreeingWithTheHubsSHA256IsNotKept() throws {
        let wrong = String(repeating: "ab", count: 32)
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .lfsFile(weights, statedSHA256: wrong)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        }
        #expect(error == .digestMismatch(
            file: "model.safetensors", source: server.baseURL.appendingPathComponent(hubPath("model.safetensors")),
            algorithm: "sha256", header: "X-Linked-Etag", expected: wrong, found: SHA256Digest.hex(of: weights)))
        #expect(error?.description.contains("X-Linked-Etag states sha256 \(wrong)") == true)
        #expect(listFiles(cache.url).isEmpty)
    }

    /// The hub's digest contradicting a registry pin is refused before the body is used.
    @Test func aPinDisagreeingWithTheHubIsAConflict() throws {
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .lfsFile(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let pinned = String(repeating: "0", count: 64)
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", sha256: pinned)])
        }
        guard case .statedDigestConflict(_, _, "X-Linked-Etag", let stated, pinned)? = error else {
            Issue.record("expected a conflict, got \(String(describing: error))")
            return
        }
        #expect(stated == SHA256Digest.hex(of: weights))
        #expect(listFiles(cache.url).isEmpty)
    }

    /// A hub answer with no digest at all is not trusted, whatever its length.
    @Test func aHubFileWithoutADigestIsRefused() throws {
        let server = try TestHTTPServer(routes: [hubPath("config.json"): .plainFile(Data("{}".utf8))])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        }
        guard case .unverifiable(let file, _, let reason)? = error else {
            Issue.record("expected unverifiable, got \(String(describing: error))")
            return
        }
        #expect(file == "config.json" && reason.contains("no X-Linked-Etag or ETag"))
        #expect(listFiles(cache.url).isEmpty)
    }

    /// From a remote mirror without a checksum list, a body with neither a length nor a digest
    /// cannot be told from a cut one: refused.
    @Test func aMirrorFileWithNeitherLengthNorDigestIsRefused() throws {
        let server = try TestHTTPServer(routes: ["/mirror/org/attack/vocab.txt": .oversize(declared: nil, sending: 1000)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let mirror = try #require(PresetMirror(parsing: server.baseURL.absoluteString + "/mirror"))
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, mirror: mirror).fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        }
        guard case .unverifiable(_, _, let reason)? = error else {
            Issue.record("expected unverifiable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("neither its length nor a digest"))
        #expect(listFiles(cache.url).isEmpty)
    }

    /// A file in the cache that no verified download put there (no record, no pin) is not
    /// trusted: it is fetched again.
    @Test func anUnrecordedCachedFileIsFetchedAgain() throws {
        let server = try TestHTTPServer(routes: [hubPath("vocab.txt"): .file(vocabulary)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let directory = cache.url.appendingPathComponent("org/attack/main", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try vocabulary.prefix(100).write(to: directory.appendingPathComponent("vocab.txt"))
        _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        #expect(try Data(contentsOf: directory.appendingPathComponent("vocab.txt")) == vocabulary)
        #expect(server.requests.count == 1)
        // Fetched and recorded: the next call trusts the record and asks nothing.
        _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        #expect(server.requests.count == 1)
    }

    /// Same size, different bytes, modification time set back before the record: the record no
    /// longer vouches (the status-change time moved), so the file is hashed and replaced.
    @Test func aSameSizeFileWithAnOlderTimeIsHashedNotTrusted() throws {
        let server = try TestHTTPServer(routes: [hubPath("vocab.txt"): .file(vocabulary)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let downloader = testDownloader(cache: cache.url, hub: server.baseURL)
        let directory = try downloader.fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        let cached = directory.appendingPathComponent("vocab.txt")
        var tampered = vocabulary
        tampered[0] = UInt8(ascii: "W")
        try tampered.write(to: cached)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: cached.path)
        #expect(try downloader.missingFiles(repository: repository, files: [RemoteFile(path: "vocab.txt")]).count == 1)
        _ = try downloader.fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        #expect(try Data(contentsOf: cached) == vocabulary)
        #expect(server.requests.count == 2)
    }

    // MARK: 2. Resume only with If-Range

    /// The file changes on the server between a dropped attempt and the retry: the retry sends
    /// `If-Range` with the old validator, the server answers 200 with the new file, and the cache
    /// holds the new file whole, never half of each.
    @Test func aFileChangedBetweenAttemptsComesBackWhole() throws {
        let old = fixtureBytes(count: weights.count, seed: 22)
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .changing(old, then: weights, times: 1)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
            .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests.last?.ifRange == TestHTTPServer.gitETag(old), "\(requests)")
    }

    /// A server that ignores `If-Range` and appends the new version: its 206 carries a different
    /// validator, so the spliced partial is discarded and the file fetched from zero.
    @Test func aServerIgnoringIfRangeCannotSpliceTwoVersions() throws {
        let old = fixtureBytes(count: weights.count, seed: 23)
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        // Through a remote mirror (ETag is then only a validator, not a digest) and with no pin:
        // only the validator ties the pieces together.
        let routesPath = "/org/attack/model.safetensors"
        let mirrorServer = try TestHTTPServer(routes: [routesPath: .changing(old, then: weights, times: 1, ignoringIfRange: true)])
        defer { mirrorServer.stop() }
        let mirrorURL = try #require(PresetMirror(parsing: mirrorServer.baseURL.absoluteString))
        let directory = try testDownloader(cache: cache.url, mirror: mirrorURL)
            .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        #expect(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")) == weights)
        let requests = mirrorServer.requests.filter { $0.path == routesPath }
        #expect(requests.count == 3, "\(requests)")
        #expect(requests.last?.range == nil)
    }

    // MARK: 3. Concurrent fetches take turns

    /// Two fetches of one file into one cache at once, against a server that ignores `Range`:
    /// the lock makes them take turns, the second finds the file in place, and both see the
    /// right bytes.
    @Test func concurrentFetchesOfOneFileTakeTurns() throws {
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .fileIgnoringRange(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let results = Mutex<[Result<Data, PresetDownloadError>]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let outcome: Result<Data, PresetDownloadError>
            do {
                let directory = try testDownloader(cache: cache.url, hub: server.baseURL)
                    .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
                outcome = .success(try Data(contentsOf: directory.appendingPathComponent("model.safetensors")))
            } catch let error as PresetDownloadError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(.fileSystem(path: cache.url, reason: "\(error)"))
            }
            results.withLock { $0.append(outcome) }
        }
        let outcomes = results.withLock { $0 }
        #expect(outcomes.count == 2)
        for outcome in outcomes { #expect((try? outcome.get()) == weights, "\(outcome)") }
        #expect(server.requests.count == 1)
    }

    // MARK: 4. Size caps

    @Test func aFilePinnedSmallIsRefusedBeforeItsBody() throws {
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .oversize(declared: 50_000_000, sending: 50_000_000)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", size: 100)])
        }
        guard case .sizeMismatch(_, _, 100, 50_000_000)? = error else {
            Issue.record("expected a size mismatch, got \(String(describing: error))")
            return
        }
        #expect(listFiles(cache.url).isEmpty)
    }

    /// No stated length: writing stops at the pinned size.
    @Test func anUndeclaredBodyStopsAtThePinnedSize() throws {
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .oversize(declared: nil, sending: 20_000_000)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors", size: 100)])
        }
        #expect(error == .sizeLimitExceeded(
            file: "model.safetensors", source: server.baseURL.appendingPathComponent(hubPath("model.safetensors")), limit: 100, stated: nil))
        #expect(listFiles(cache.url).isEmpty)
    }

    /// An unpinned `config.json` is capped at 1 MiB, declared or not.
    @Test func anUnpinnedConfigIsCappedAtOneMebibyte() throws {
        for declared in [2_000_000, nil] as [Int?] {
            let server = try TestHTTPServer(routes: [hubPath("config.json"): .oversize(declared: declared, sending: 2_000_000)])
            defer { server.stop() }
            let cache = try TemporaryDirectory()
            defer { cache.remove() }
            let error = downloadError {
                _ = try testDownloader(cache: cache.url, hub: server.baseURL).fetch(repository: repository, files: [RemoteFile(path: "config.json")])
            }
            guard case .sizeLimitExceeded("config.json", _, 1 << 20, declared)? = error else {
                Issue.record("expected the 1 MiB cap, got \(String(describing: error))")
                continue
            }
            #expect(error?.description.contains("the limit for it is 1 MiB") == true)
            #expect(listFiles(cache.url).isEmpty)
        }
    }

    // MARK: 5. No hangs

    /// One byte every 0.2 s never goes idle, but the file's deadline (1 s + 200 bytes at 1 KiB/s
    /// here) ends it.
    @Test func aDrippingServerMeetsTheDeadline() throws {
        let server = try TestHTTPServer(routes: [hubPath("config.json"): .drip(Data(repeating: 0x20, count: 200), interval: 0.2)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let started = Date()
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL, deadlineAllowance: 1, minimumBytesPerSecond: 1024)
                .fetch(repository: repository, files: [RemoteFile(path: "config.json")])
        }
        guard case .deadlineExceeded("config.json", _, let seconds, let received)? = error else {
            Issue.record("expected the deadline, got \(String(describing: error))")
            return
        }
        #expect(seconds == 1 && received < 200)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// A server that goes silent ends at the idle timeout, and the error says so in words.
    @Test func aStalledServerEndsAtTheIdleTimeoutWithAClearReason() throws {
        let server = try TestHTTPServer(routes: [hubPath("model.safetensors"): .stall(weights)])
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let error = downloadError {
            _ = try testDownloader(cache: cache.url, hub: server.baseURL, maxRetries: 0, timeout: 1)
                .fetch(repository: repository, files: [RemoteFile(path: "model.safetensors")])
        }
        guard case .transferFailed("model.safetensors", _, 1, let reason)? = error else {
            Issue.record("expected a transfer failure, got \(String(describing: error))")
            return
        }
        #expect(reason == "no data for 1 s (the idle timeout)")
    }

    /// A FIFO in a directory mirror is refused at once instead of blocking the reader forever;
    /// a symbolic link is followed and its target's bytes copied (the cache holds a regular file).
    @Test func aDirectoryMirrorServesOnlyRegularFiles() throws {
        let mirror = try TemporaryDirectory()
        defer { mirror.remove() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let repositoryDirectory = mirror.url.appendingPathComponent(repository, isDirectory: true)
        try FileManager.default.createDirectory(at: repositoryDirectory, withIntermediateDirectories: true)
        #expect(mkfifo(repositoryDirectory.appendingPathComponent("config.json").path, 0o644) == 0)
        let blob = mirror.url.appendingPathComponent("blob")
        try vocabulary.write(to: blob)
        try FileManager.default.createSymbolicLink(at: repositoryDirectory.appendingPathComponent("vocab.txt"), withDestinationURL: blob)
        let downloader = testDownloader(cache: cache.url, mirror: .directory(mirror.url))

        let error = downloadError { _ = try downloader.fetch(repository: repository, files: [RemoteFile(path: "config.json")]) }
        #expect(error == .notRegularFile(file: "config.json", path: repositoryDirectory.appendingPathComponent("config.json")))

        let directory = try downloader.fetch(repository: repository, files: [RemoteFile(path: "vocab.txt")])
        let cached = directory.appendingPathComponent("vocab.txt")
        let type = try FileManager.default.attributesOfItem(atPath: cached.path)[.type] as? FileAttributeType
        #expect(type == .typeRegular)
        #expect(try Data(contentsOf: cached) == vocabulary)
    }

    // MARK: 6. Offline with optional files absent upstream

    /// An `hf://` preset fetched once, whose repository has no `modules.json` or tokenizer files,
    /// resolves again with `KERAS_HUB_OFFLINE`: the 404s were remembered as absences.
    @Test func aFullyCachedHubPresetResolvesOfflineDespiteAbsentOptionalFiles() throws {
        let fixture = Repository.modelFixture("distilbert_a")
        var routes: [String: ServerBehavior] = [:]
        for name in ["config.json", "model.safetensors"] {
            routes["/test-org/tiny-distilbert/resolve/main/\(name)"] = .file(try Data(contentsOf: fixture.appendingPathComponent(name)))
        }
        let server = try TestHTTPServer(routes: routes)
        defer { server.stop() }
        let cache = try TemporaryDirectory()
        defer { cache.remove() }
        let online = PresetEnvironment(cacheDirectory: cache.url, mirror: nil, isOffline: false, hubEndpoint: server.baseURL)
        _ = try PresetResolver.resolve("hf://test-org/tiny-distilbert", for: .backbone(loadWeights: true), environment: online)
        let asked = server.requests.count
        #expect(server.requests.contains { $0.path.hasSuffix("/modules.json") })

        let offline = PresetEnvironment(cacheDirectory: cache.url, mirror: nil, isOffline: true, hubEndpoint: server.baseURL)
        let directory = try PresetResolver.resolve("hf://test-org/tiny-distilbert", for: .backbone(loadWeights: true), environment: offline)
        #expect(try directory.loadBackbone() is DistilBertBackbone)
        #expect(server.requests.count == asked)
    }

    // MARK: Minor: control characters

    /// A remote name with an escape sequence is printed escaped, never raw.
    @Test func controlCharactersInNamesAreEscapedInMessages() throws {
        let error = PresetDownloadError.notFound(file: "evil\u{1B}[2Jname\u{07}", url: URL(fileURLWithPath: "/tmp/x"))
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
        #expect(error.description.contains("evil\\u{1B}[2Jname\\u{7}"))
    }
}

/// The digest and header readers, against values computed by other tools.
@Suite struct ServerStatementTests {
    /// `printf 'hello\n' | git hash-object --stdin`.
    @Test func gitBlobIDIsGitsObjectID() throws {
        #expect(FileDigests.gitBlobID(of: Data("hello\n".utf8)) == "ce013625030ba8dba906f756967f9e9ca394464a")
        #expect(FileDigests.gitBlobID(of: Data()) == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
    }

    /// `x-goog-hash` as Cloud Storage writes it; the MD5 of "hello\n" is b1946ac9…
    @Test func googleHashGivesTheMD5() throws {
        let statement = ServerStatement(
            head: ResponseHead(status: 200, headers: ["X-Goog-Hash": "crc32c=xH3dcA==, md5=sZRqySSS0jR8YjW00mERhA==", "Content-Length": "6"]),
            trustsETag: false)
        #expect(statement.md5 == "b1946ac92492d2347c6235b4d2611184")
        #expect(statement.size == 6)
    }

    @Test func etagsAreDigestsOnlyFromTheHubAndOnlyAsHex() throws {
        let sha = String(repeating: "a", count: 64)
        let head = ResponseHead(status: 200, headers: ["ETag": "\"\(sha)\""])
        #expect(ServerStatement(head: head, trustsETag: true).sha256 == sha)
        #expect(ServerStatement(head: head, trustsETag: false).sha256 == nil)
        #expect(ServerStatement(head: head, trustsETag: false).validator == "\"\(sha)\"")
        let nginx = ResponseHead(status: 200, headers: ["ETag": "\"5f3c-1a2b\""])
        #expect(ServerStatement(head: nginx, trustsETag: true).hasDigest == false)
        let weak = ResponseHead(status: 200, headers: ["ETag": "W/\"abc\"", "Last-Modified": "Wed, 02 Dec 2026 07:00:00 GMT"])
        #expect(ServerStatement(head: weak, trustsETag: true).validator == "Wed, 02 Dec 2026 07:00:00 GMT")
    }

    /// A validator is kept up to 1024 bytes (its file then holds one more, the newline) and read
    /// back as stored; a longer one, or one with a control character, is not kept.
    @Test func validatorsRoundTripUpToTheirLimit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let partial = PartialFile(target: directory.url.appendingPathComponent("model.safetensors"))
        let longest = "\"" + String(repeating: "a", count: PartialFile.maximumValidatorBytes - 2) + "\""
        partial.store(validator: longest)
        #expect(partial.storedValidator == longest)
        partial.store(validator: longest + "b")
        #expect(partial.storedValidator == nil)
        partial.store(validator: "\"a\u{1B}b\"")
        #expect(partial.storedValidator == nil)
    }

    @Test func sizesComeFromTheRightHeaderAndAreBounded() throws {
        let ranged = ResponseHead(status: 206, headers: ["Content-Range": "bytes 100-199/200", "Content-Length": "100"])
        #expect(ServerStatement(head: ranged, trustsETag: false).size == 200)
        let linked = ResponseHead(status: 200, headers: ["Content-Length": "5"], redirects: [["X-Linked-Size": "900"]])
        #expect(ServerStatement(head: linked, trustsETag: false).size == 900)
        for bad in ["-1", "1e9", "99999999999999999999", "", "12 34"] {
            #expect(ServerStatement(head: ResponseHead(status: 200, headers: ["Content-Length": bad]), trustsETag: false).size == nil)
        }
    }
}
