import Foundation

/// Fetches a preset repository's files into the local cache and returns the cache directory.
///
/// ```swift
/// let downloader = PresetDownloader(environment: .current)
/// let directory = try downloader.fetch(
///     repository: "sentence-transformers/all-MiniLM-L6-v2", revision: "main",
///     files: [RemoteFile(path: "config.json"),
///             RemoteFile(path: "model.safetensors", sha256: "53aa5117…", size: 90868376)])
/// ```
///
/// Files already in the cache are not fetched again. A file with a known size must have it; a file
/// with a known sha256 is verified through a sidecar `<path>.sha256` written after its verified
/// download: when the sidecar holds the expected digest and the file was not modified after it,
/// the file is trusted without rehashing (a 500 MB file is hashed once, not on every load);
/// otherwise it is rehashed once, and replaced if it does not match. Others come from `KERAS_HUB_MIRROR` when set, else from the hub; with
/// `KERAS_HUB_OFFLINE` only a directory mirror may be read. Every download is written to
/// `<path>.partial`, resumed with `Range` after a drop, checked against the registry's size and
/// sha256, and renamed into place.
///
/// A mirror may serve a checksum list per repository (`<mirror>/<repository>/SHA256SUMS`, see
/// ``ChecksumList``): files without a pinned sha256 are then verified against it, while a pinned
/// sha256 always wins and a list disagreeing with it is an error. Without a list (and from the hub)
/// unpinned files are checked against a known size only. Calls block; the type is `Sendable`, but two processes must not
/// download the same file at the same moment (they would share the partial).
public struct PresetDownloader: Sendable {
    /// Where files are cached and fetched from.
    public let environment: PresetEnvironment
    /// Retry and timeout limits.
    public let options: DownloadOptions
    /// Receives transfer progress, or `nil` for silence.
    public let progress: (any DownloadProgressReporter)?
    /// The mirror checksum lists read so far (shared by copies of this downloader).
    let checksumLists = ChecksumListCache()

    /// A downloader for `environment`. By default progress is drawn on stderr only when stderr is
    /// a terminal (never on a pipe); pass `progress: nil` to silence it or your own reporter.
    public init(
        environment: PresetEnvironment = .current,
        options: DownloadOptions = DownloadOptions(),
        progress: (any DownloadProgressReporter)? = TerminalProgressReporter.ifStandardErrorIsTerminal()
    ) {
        self.environment = environment
        self.options = options
        self.progress = progress
    }

    /// The cache directory for `repository` at `revision`: `<cache>/<repository>/<revision>`.
    /// - Throws: ``PresetDownloadError/invalidPath(_:reason:)`` for a malformed name.
    public func cacheDirectory(repository: String, revision: String = "main") throws -> URL {
        let cache = PresetCache(root: environment.cacheDirectory)
        return cache.directory(
            repository: try PresetPath.components(of: repository, what: "repository"),
            revision: try PresetPath.components(of: revision, what: "revision"))
    }

    /// The files of `files` not yet in the cache, or cached but failing their size or sha256 check.
    /// Touches no network. Hashes a file only when its sidecar does not vouch for it.
    public func missingFiles(repository: String, revision: String = "main", files: [RemoteFile]) throws -> [RemoteFile] {
        let directory = try cacheDirectory(repository: repository, revision: revision)
        return try files.filter { file in
            let target = PresetPath.appending(try PresetPath.components(of: file.path, what: "file path"), to: directory)
            return PresetCache.status(of: file, at: target) != .valid
        }
    }

    /// Makes every file of `files` present and verified in the cache and returns the directory
    /// holding them (`<cache>/<repository>/<revision>`, files at their relative paths).
    ///
    /// - Throws: ``PresetDownloadError``: `offlineFileMissing` when offline and a file is not
    ///   cached; `notFound` / `httpStatus` for a failing source; `transferFailed` when retries run
    ///   out; `checksumMismatch` / `sizeMismatch` (nothing is kept); `fileSystem`; `invalidPath`.
    public func fetch(repository: String, revision: String = "main", files: [RemoteFile], layout: RemoteLayout = .huggingFace) throws -> URL {
        let repositoryParts = try PresetPath.components(of: repository, what: "repository")
        _ = try PresetPath.components(of: revision, what: "revision")
        let directory = try cacheDirectory(repository: repository, revision: revision)
        let plan = try files.map { file in (file, try PresetPath.components(of: file.path, what: "file path")) }
        for (file, parts) in plan {
            let target = PresetPath.appending(parts, to: directory)
            let status = PresetCache.status(of: file, at: target)
            guard status != .valid else { continue }
            let source = try FileSource.locate(
                repository: repositoryParts, revision: revision, path: parts, environment: environment, layout: layout)
            if environment.isOffline, case .http = source {
                var problem: String?
                if case .invalid(let reason) = status { problem = reason }
                throw PresetDownloadError.offlineFileMissing(file: file.path, repository: repository, expectedAt: target, problem: problem)
            }
            let expected = try expectation(for: file, repository: repository, repositoryParts: repositoryParts)
            try install(expected, from: source, into: PartialFile(target: target))
        }
        return directory
    }

    /// What `file` is verified against when it is fetched: with a mirror, the rule of
    /// ``ChecksumList/expectation(for:list:)`` over the mirror's list for the repository (read once);
    /// from the hub, `file` as the registry describes it.
    private func expectation(for file: RemoteFile, repository: String, repositoryParts: [String]) throws -> RemoteFile {
        guard let mirror = environment.mirror else { return file }
        let list = try checksumLists.list(for: repository) {
            try loadChecksumList(repositoryParts: repositoryParts, mirror: mirror)
        }
        return try ChecksumList.expectation(for: file, list: list)
    }

    /// The mirror's `<repository>/SHA256SUMS`, or `nil` when it serves none (404, or no such file).
    private func loadChecksumList(repositoryParts: [String], mirror: PresetMirror) throws -> ChecksumList? {
        let source = try FileSource.locate(
            repository: repositoryParts, revision: "main", path: [ChecksumList.fileName], environment: environment)
        let text: String
        switch source {
        case .directory(let url):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            do { text = String(decoding: try Data(contentsOf: url), as: UTF8.self) } catch {
                throw PresetDownloadError.fileSystem(path: url, reason: "cannot read the checksum list: \(error.localizedDescription)")
            }
        case .http(let url):
            let scratch = FileManager.default.temporaryDirectory
                .appendingPathComponent("keras-hub-checksums-\(UUID().uuidString)", isDirectory: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let target = scratch.appendingPathComponent(ChecksumList.fileName)
            do {
                try ResumableDownload(
                    file: RemoteFile(path: ChecksumList.fileName), url: url, partial: PartialFile(target: target),
                    options: options, progress: nil
                ).run()
            } catch PresetDownloadError.notFound {
                return nil
            }
            do { text = String(decoding: try Data(contentsOf: target), as: UTF8.self) } catch {
                throw PresetDownloadError.fileSystem(path: target, reason: "cannot read the checksum list: \(error.localizedDescription)")
            }
        }
        return try ChecksumList(parsing: text, source: source.url)
    }

    private func install(_ file: RemoteFile, from source: FileSource, into partial: PartialFile) throws {
        switch source {
        case .directory(let url):
            try MirrorCopy(file: file, source: url, partial: partial).run()
        case .http(let url):
            try ResumableDownload(file: file, url: url, partial: partial, options: options, progress: progress).run()
        }
    }
}
