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
/// Files already in the cache (verified, see ``PresetCache``) are not fetched again. Others come
/// from `KERAS_HUB_MIRROR` when set, else from the hub; with `KERAS_HUB_OFFLINE` only a directory
/// mirror may be read. A file enters the cache only verified, atomically, under a lock:
/// - it is written to `<path>.partial` under an exclusive `flock` on its lock file (a second process
///   waits, then finds it in place), resumed after a drop with `Range` and `If-Range`
///   (``ResumableDownload``), never past its cap (``DownloadLimits``) or its deadline
///   (``DownloadOptions/deadline(forBytes:)``);
/// - it is promoted only when it matches the registry's pins and everything the server stated: from
///   the hub, the sha256 (`X-Linked-Etag`, or an LFS `ETag`) or git blob id (`ETag`) the hub gives
///   every file; from a mirror, its `SHA256SUMS` list (see ``ChecksumList``), else at least a
///   stated length. A file whose length and digest are both unknown is refused.
///
/// An optional file the source does not have leaves a `<path>.absent` marker, so that the preset
/// still resolves offline (``fetchIfPresent(repository:revision:file:layout:)``). Calls block; the
/// type is `Sendable`, and concurrent fetches of one file, from threads or processes, take turns.
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
        let revisionParts = try PresetPath.components(of: revision, what: "revision")
        let directory = try cacheDirectory(repository: repository, revision: revision)
        let plan = try files.map { file in (file, try PresetPath.components(of: file.path, what: "file path")) }
        for (file, parts) in plan {
            let target = PresetPath.appending(parts, to: directory)
            let status = PresetCache.status(of: file, at: target)
            guard status != .valid else { continue }
            let source = try FileSource.locate(
                repository: repositoryParts, revision: revision, path: parts, environment: environment, layout: layout)
            let partial = PartialFile(target: target)
            if environment.isOffline, case .http = source {
                var problem: String?
                if case .invalid(let reason) = status { problem = reason }
                throw PresetDownloadError.offlineFileMissing(file: file.path, repository: repository, expectedAt: target, problem: problem)
            }
            try partial.prepareDirectory()
            let lockURL = PresetCache(root: environment.cacheDirectory).lock(
                repository: repositoryParts, revision: revisionParts, components: parts)
            let lock = try CacheEntryLock(at: lockURL, fileName: file.path, partial: partial, stallTimeout: options.lockStallTimeout)
            // Another process may have fetched it while this one waited for the lock.
            if PresetCache.status(of: file, at: target) != .valid {
                let expected = try expectation(for: file, repository: repository, repositoryParts: repositoryParts)
                try install(expected, from: source, into: partial, isHub: environment.mirror == nil && layout == .huggingFace)
            }
            withExtendedLifetime(lock) {}
        }
        return directory
    }

    /// Fetches an optional `file`: `true` once it is in the cache, `false` when the source does not
    /// have it (a 404, a directory mirror without it, or a mirror checksum list that does not name
    /// it). An absence is remembered in `<path>.absent`, so offline the file is known to be absent
    /// rather than missing; a later successful fetch removes the marker.
    /// - Throws: as ``fetch(repository:revision:files:layout:)``; offline, `offlineFileMissing`
    ///   only for a file neither cached nor known to be absent.
    public func fetchIfPresent(repository: String, revision: String = "main", file: RemoteFile, layout: RemoteLayout = .huggingFace) throws -> Bool {
        let directory = try cacheDirectory(repository: repository, revision: revision)
        let target = PresetPath.appending(try PresetPath.components(of: file.path, what: "file path"), to: directory)
        let marker = PresetCache.absenceMarker(for: target)
        // The cheap checks first: the status may hash the cached file.
        if environment.isOffline, !isDirectoryMirror, FileManager.default.fileExists(atPath: marker.path),
           PresetCache.status(of: file, at: target) != .valid {
            return false
        }
        do {
            _ = try fetch(repository: repository, revision: revision, files: [file], layout: layout)
            return true
        } catch PresetDownloadError.notFound, PresetDownloadError.notInChecksumList {
            try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data().write(to: marker, options: .atomic)
            return false
        }
    }

    private var isDirectoryMirror: Bool {
        if case .directory? = environment.mirror { return true }
        return false
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
            let scratch = FileManager.default.temporaryDirectory
                .appendingPathComponent("keras-hub-checksums-\(UUID().uuidString)", isDirectory: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let target = scratch.appendingPathComponent(ChecksumList.fileName)
            do {
                try MirrorCopy(file: RemoteFile(path: ChecksumList.fileName), source: url, partial: PartialFile(target: target)).run()
            } catch PresetDownloadError.notFound {
                return nil
            }
            do { text = String(decoding: try Data(contentsOf: target), as: UTF8.self) } catch {
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

    private func install(_ file: RemoteFile, from source: FileSource, into partial: PartialFile, isHub: Bool) throws {
        switch source {
        case .directory(let url):
            try MirrorCopy(file: file, source: url, partial: partial).run()
        case .http(let url):
            try ResumableDownload(file: file, url: url, partial: partial, options: options, progress: progress, isHub: isHub).run()
        }
    }
}
