import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a download is checked against before it is promoted: the pins (the registry's, or the
/// mirror list's sha256) and what the server stated about the file.
struct DownloadExpectation: Sendable, Equatable {
    /// The file with its pinned size and sha256.
    var file: RemoteFile
    /// What the server stated (the latest response's statement), if it answered.
    var statement: ServerStatement?
    /// Whether a digest is required (a file from the hub, which always states one).
    var requiresDigest: Bool

    /// The length the file must have: pinned, else stated.
    var size: Int? { file.size ?? statement?.size }
}

/// The `<path>.partial` file a download is written to, verified, and then renamed into place, so
/// the cache never holds a half-written or unverified file under its real name. Beside it,
/// `<path>.partial.validator` keeps the `ETag` (or `Last-Modified`) its bytes came with, so a
/// resumed request can send `If-Range`.
struct PartialFile: Sendable {
    /// The final location in the cache.
    let target: URL
    /// `<target>.partial`, in the same directory so that the rename is atomic.
    var url: URL { PresetCache.partial(for: target) }
    /// `<target>.partial.validator`.
    var validatorURL: URL { PresetCache.validator(for: target) }

    /// The partial's size in bytes, `0` when it does not exist.
    var size: Int { FileIdentity(of: url).map { $0.isRegular ? $0.size : 0 } ?? 0 }

    /// Creates the directory the target lives in.
    func prepareDirectory() throws {
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PresetDownloadError.fileSystem(path: directory, reason: "cannot create cache directory: \(error.localizedDescription)")
        }
    }

    /// Deletes the partial and its validator (if any).
    func remove() {
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.removeItem(at: validatorURL)
    }

    /// The longest validator kept (an `ETag` or a `Last-Modified` date is far shorter).
    static let maximumValidatorBytes = 1024

    /// The validator stored with the partial's bytes, if any (one line).
    var storedValidator: String? {
        // The file holds the validator and its newline.
        guard let data = FileIdentity.readRegularFile(at: validatorURL, maximumBytes: Self.maximumValidatorBytes + 1) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Self.isStorable(text) ? text : nil
    }

    /// Remembers `validator` for the partial's bytes, or forgets the old one when `nil`.
    func store(validator: String?) {
        guard let validator, Self.isStorable(validator) else {
            try? FileManager.default.removeItem(at: validatorURL)
            return
        }
        try? Data((validator + "\n").utf8).write(to: validatorURL, options: .atomic)
    }

    /// A validator fit to send back in `If-Range`: non-empty, short, one line without control characters.
    private static func isStorable(_ validator: String) -> Bool {
        !validator.isEmpty && validator.utf8.count <= maximumValidatorBytes
            && !validator.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Checks the partial against every size and digest `expectation` knows, deleting it on a
    /// mismatch. Returns its sha256.
    func verify(against expectation: DownloadExpectation, source: URL) throws -> String {
        let file = expectation.file
        let statement = expectation.statement
        let found = size
        if let expected = expectation.size, found != expected {
            remove()
            throw PresetDownloadError.sizeMismatch(file: file.path, source: source, expected: expected, found: found)
        }
        let pinned = file.normalizedSHA256
        let hasDigest = pinned != nil || statement?.hasDigest == true
        if !hasDigest {
            if expectation.requiresDigest {
                remove()
                throw PresetDownloadError.unverifiable(
                    file: file.path, source: source, reason: "the hub stated no sha256 or git blob id (no X-Linked-Etag or ETag)")
            }
            if expectation.size == nil {
                remove()
                throw PresetDownloadError.unverifiable(
                    file: file.path, source: source, reason: "the server stated neither its length nor a digest, so a cut-short body cannot be told from a whole one")
            }
        }
        let digests: FileDigests
        do {
            digests = try FileDigests(ofFileAt: url, size: found, gitBlob: statement?.gitBlobID != nil, md5: statement?.md5 != nil)
        } catch {
            remove()
            throw error
        }
        if let pinned, digests.sha256 != pinned {
            remove()
            throw PresetDownloadError.checksumMismatch(file: file.path, source: source, expected: pinned, found: digests.sha256)
        }
        if let stated = statement?.sha256, digests.sha256 != stated {
            remove()
            throw PresetDownloadError.digestMismatch(
                file: file.path, source: source, algorithm: "sha256", header: statement?.sha256Header ?? "ETag", expected: stated, found: digests.sha256)
        }
        if let stated = statement?.gitBlobID, let found = digests.gitBlobID, found != stated {
            remove()
            throw PresetDownloadError.digestMismatch(file: file.path, source: source, algorithm: "git blob id", header: "ETag", expected: stated, found: found)
        }
        if let stated = statement?.md5, let found = digests.md5, found != stated {
            remove()
            throw PresetDownloadError.digestMismatch(file: file.path, source: source, algorithm: "MD5", header: "x-goog-hash", expected: stated, found: found)
        }
        return digests.sha256
    }

    /// Renames the verified partial over the target (atomically replacing an old copy) and records
    /// its `sha256` with the file's identity in the sidecar.
    func commit(sha256: String) throws {
        let sidecar = PresetCache.sidecar(for: target)
        try? FileManager.default.removeItem(at: sidecar)
        try? FileManager.default.removeItem(at: validatorURL)
        guard rename(url.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            remove()
            throw PresetDownloadError.fileSystem(path: target, reason: "cannot move the verified download into place: \(reason)")
        }
        try? FileManager.default.removeItem(at: PresetCache.absenceMarker(for: target))
        VerificationRecord.write(sha256: sha256, for: target)
    }
}
