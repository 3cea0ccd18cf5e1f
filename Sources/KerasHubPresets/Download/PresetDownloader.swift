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
/// sha256, and renamed into place. Calls block; the type is `Sendable`, but two processes must not
/// download the same file at the same moment (they would share the partial).
public struct PresetDownloader: Sendable {
    /// Where files are cached and fetched from.
    public let environment: PresetEnvironment
    /// Retry and timeout limits.
    public let options: DownloadOptions
    /// Receives transfer progress, or `nil` for silence.
    public let progress: (any DownloadProgressReporter)?

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
    public func fetch(repository: String, revision: String = "main", files: [RemoteFile]) throws -> URL {
        let repositoryParts = try PresetPath.components(of: repository, what: "repository")
        _ = try PresetPath.components(of: revision, what: "revision")
        let directory = try cacheDirectory(repository: repository, revision: revision)
        let plan = try files.map { file in (file, try PresetPath.components(of: file.path, what: "file path")) }
        for (file, parts) in plan {
            let target = PresetPath.appending(parts, to: directory)
            let status = PresetCache.status(of: file, at: target)
            guard status != .valid else { continue }
            let source = try FileSource.locate(repository: repositoryParts, revision: revision, path: parts, environment: environment)
            if environment.isOffline, case .http = source {
                var problem: String?
                if case .invalid(let reason) = status { problem = reason }
                throw PresetDownloadError.offlineFileMissing(file: file.path, repository: repository, expectedAt: target, problem: problem)
            }
            try install(file, from: source, into: PartialFile(target: target))
        }
        return directory
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
