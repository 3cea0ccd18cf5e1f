import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `<path>.partial` file a download is written to, verified, and then renamed into place, so
/// the cache never holds a half-written or unverified file under its real name.
struct PartialFile: Sendable {
    /// The final location in the cache.
    let target: URL
    /// `<target>.partial`, in the same directory so that the rename is atomic.
    var url: URL { PresetCache.partial(for: target) }

    /// The partial's size in bytes, `0` when it does not exist.
    var size: Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Creates the directory the target lives in.
    func prepareDirectory() throws {
        let directory = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PresetDownloadError.fileSystem(path: directory, reason: "cannot create cache directory: \(error.localizedDescription)")
        }
    }

    /// Deletes the partial (if any).
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Checks the partial against `file`'s size and sha256, deleting it on a mismatch.
    /// Returns the digest when one was computed (only when `file.sha256` is known).
    func verify(against file: RemoteFile, source: URL) throws -> String? {
        let found = size
        if let expected = file.size, found != expected {
            remove()
            throw PresetDownloadError.sizeMismatch(file: file.path, source: source, expected: expected, found: found)
        }
        guard let expected = file.normalizedSHA256 else { return nil }
        let digest: String
        do { digest = try SHA256Digest.hex(ofFileAt: url) } catch {
            remove()
            throw error
        }
        guard digest == expected else {
            remove()
            throw PresetDownloadError.checksumMismatch(file: file.path, source: source, expected: expected, found: digest)
        }
        return digest
    }

    /// Renames the verified partial over the target (atomically replacing an old copy) and records
    /// `digest` in the sidecar; without a digest any old sidecar is removed.
    func commit(digest: String?) throws {
        let sidecar = PresetCache.sidecar(for: target)
        try? FileManager.default.removeItem(at: sidecar)
        guard rename(url.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            remove()
            throw PresetDownloadError.fileSystem(path: target, reason: "cannot move the verified download into place: \(reason)")
        }
        if let digest { PresetCache.writeSidecar(for: target, digest: digest) }
    }
}
