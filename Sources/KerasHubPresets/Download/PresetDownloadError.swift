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
    /// The bytes from `source` do not match the `algorithm` digest the server stated in its
    /// `header` (the hub's `X-Linked-Etag` or `ETag`, Cloud Storage's `x-goog-hash`); nothing was kept.
    case digestMismatch(file: String, source: URL, algorithm: String, header: String, expected: String, found: String)
    /// The server's `header` states sha256 `stated` for `file`, but the registry pins `pinned`:
    /// the file changed upstream or the pin is stale. Its body was not kept.
    case statedDigestConflict(file: String, source: URL, header: String, stated: String, pinned: String)
    /// Nothing establishes what `file` from `source` should be (`reason`): no pinned or stated
    /// digest, and no stated length either (or, from the hub, no digest). It was not kept.
    case unverifiable(file: String, source: URL, reason: String)
    /// `file` from `source` is larger than the `limit` bytes allowed for it (its pinned size, the
    /// size the server stated, or the ceiling of its kind, see ``DownloadLimits``); `stated` is the
    /// size the server declared, when it declared one. Writing stopped at the limit.
    case sizeLimitExceeded(file: String, source: URL, limit: Int, stated: Int?)
    /// `file` from `url` was not complete `seconds` after its first attempt began (see
    /// ``DownloadOptions/deadline(forBytes:)``); `received` bytes had arrived.
    case deadlineExceeded(file: String, url: URL, seconds: Int, received: Int)
    /// Another process held the lock `lock` on `file` and its download did not advance for `seconds`.
    case lockTimeout(file: String, lock: URL, seconds: Int)
    /// A directory mirror's entry for `file` at `path` is not a regular file (a directory, FIFO,
    /// device or socket; a symbolic link is followed to what it names).
    case notRegularFile(file: String, path: URL)

    /// A one-line explanation naming what was wrong and where. Control characters (from a remote
    /// name or a server's answer) are shown escaped, as `\u{1B}`, never sent to the terminal.
    public var description: String { PrintableText.escapingControls(rawDescription) }

    private var rawDescription: String {
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
        case let .digestMismatch(file, source, algorithm, header, expected, found):
            return "checksum mismatch for '\(file)' from \(Self.display(source)): the server's \(header) states \(algorithm) \(expected), the bytes have \(found); the download was deleted"
        case let .statedDigestConflict(file, source, header, stated, pinned):
            return "'\(file)' from \(Self.display(source)): the server's \(header) states sha256 \(stated), but the registry pins \(pinned) (the file changed upstream or the pin is stale); nothing was kept"
        case let .unverifiable(file, source, reason):
            return "'\(file)' from \(Self.display(source)) cannot be verified: \(reason); it was not kept (pin its sha256 in the registry or serve a SHA256SUMS list)"
        case let .sizeLimitExceeded(file, source, limit, stated):
            let what = stated.map { "the server states \($0) bytes" } ?? "the server sent more"
            return "'\(file)' from \(Self.display(source)) is too large: \(what), the limit for it is \(DownloadLimits.describe(limit)); the download was deleted"
        case let .deadlineExceeded(file, url, seconds, received):
            return "downloading '\(file)' from \(Self.display(url)) did not finish within its deadline of \(seconds) s (\(received) bytes arrived); the server is too slow or stalled"
        case let .lockTimeout(file, lock, seconds):
            return "another process is fetching '\(file)' (it holds \(lock.path)) and made no progress for \(seconds) s; stop it or remove the lock file"
        case let .notRegularFile(file, path):
            return "the mirror's '\(file)' at \(path.path) is not a regular file; it was not read"
        }
    }

    private static func display(_ url: URL) -> String {
        url.isFileURL ? url.path : url.absoluteString
    }
}
