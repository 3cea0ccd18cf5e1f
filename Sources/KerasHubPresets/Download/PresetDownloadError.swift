import Foundation

/// Why fetching a preset's files failed; each case names the file and the place involved.
public enum PresetDownloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A repository, revision or file path that is empty, absolute, or has `.`/`..` components.
    case invalidPath(String, reason: String)
    /// `KERAS_HUB_OFFLINE` is set and `file` is not in the cache (or the cached copy fails its
    /// check, explained by `problem`); it was expected at `expectedAt`.
    case offlineFileMissing(file: String, repository: String, expectedAt: URL, problem: String?)
    /// The source answered 404 (or a directory mirror lacks the file) for `url`.
    case notFound(file: String, url: URL)
    /// The server answered `url` with a non-2xx status other than 404.
    case httpStatus(file: String, url: URL, status: Int)
    /// The transfer kept failing (dropped connections, short bodies) after `attempts` tries.
    case transferFailed(file: String, url: URL, attempts: Int, reason: String)
    /// The bytes from `source` do not hash to the expected sha256 (the registry's pin, or else the
    /// mirror's checksum list); nothing was kept.
    case checksumMismatch(file: String, source: URL, expected: String, found: String)
    /// The bytes from `source` are not the registry's size; nothing was kept.
    case sizeMismatch(file: String, source: URL, expected: Int, found: Int)
    /// A file-system operation on `path` (in the cache or a directory mirror) failed.
    case fileSystem(path: URL, reason: String)
    /// The mirror's checksum list at `list` gives `listed` for `file`, but the registry pins
    /// `pinned`: a pinned sha256 always wins, so the mirror is stale or wrong. Nothing was fetched.
    case checksumConflict(file: String, list: URL, pinned: String, listed: String)
    /// The mirror serves a checksum list at `list` that does not name `file`, which has no pinned
    /// sha256 either, so it could not be verified. Nothing was fetched.
    case notInChecksumList(file: String, list: URL)
    /// The mirror's checksum list at `list` cannot be read (`reason` says which line and why).
    case invalidChecksumList(list: URL, reason: String)

    /// A one-line explanation naming what was wrong and where.
    public var description: String {
        switch self {
        case let .invalidPath(path, reason):
            return "invalid preset path '\(path)': \(reason)"
        case let .offlineFileMissing(file, repository, expectedAt, problem):
            let why = problem.map { " (\($0))" } ?? ""
            return "KERAS_HUB_OFFLINE is set and '\(file)' of \(repository) is not in the cache\(why): expected at \(expectedAt.path); unset KERAS_HUB_OFFLINE, set KERAS_HUB_MIRROR to a directory, or put the file there"
        case let .notFound(file, url):
            return "'\(file)' not found: \(Self.display(url)) does not exist (404)"
        case let .httpStatus(file, url, status):
            let hint = status == 401 || status == 403
                ? " (the repository may be gated or private: download it yourself and point KERAS_HUB_MIRROR at the directory)"
                : ""
            return "downloading '\(file)' failed: \(Self.display(url)) answered HTTP \(status)\(hint)"
        case let .transferFailed(file, url, attempts, reason):
            return "downloading '\(file)' from \(Self.display(url)) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
        case let .checksumMismatch(file, source, expected, found):
            return "checksum mismatch for '\(file)' from \(Self.display(source)): expected sha256 \(expected), found \(found); the download was deleted"
        case let .sizeMismatch(file, source, expected, found):
            return "size mismatch for '\(file)' from \(Self.display(source)): expected \(expected) bytes, found \(found); the download was deleted"
        case let .fileSystem(path, reason):
            return "file error at \(path.path): \(reason)"
        case let .checksumConflict(file, list, pinned, listed):
            return "checksum conflict for '\(file)': the mirror's \(Self.display(list)) lists sha256 \(listed), but the registry pins \(pinned); a pinned checksum always wins, so the mirror is stale or wrong (regenerate it)"
        case let .notInChecksumList(file, list):
            return "'\(file)' has no pinned sha256 and is not listed in the mirror's \(Self.display(list)), so it cannot be verified; add it to the list"
        case let .invalidChecksumList(list, reason):
            return "the mirror's checksum list \(Self.display(list)) is invalid: \(reason)"
        }
    }

    private static func display(_ url: URL) -> String {
        url.isFileURL ? url.path : url.absoluteString
    }
}
