import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on the cache entry's lock file (`<cache>/.locks/<repository>/<revision>/<path>.lock`), held while the entry is checked and
/// fetched, so that two processes (or threads) fetching one file take turns: the second finds the
/// file in place when the first is done instead of truncating the partial under it.
///
/// Waiting lasts as long as the holder makes progress: it ends in
/// ``PresetDownloadError/lockTimeout(file:lock:seconds:)`` only when the partial did not grow
/// for `stallTimeout` seconds. The lock file stays (as `huggingface_hub`'s do); the kernel releases
/// the lock when its holder exits, however it exits.
final class CacheEntryLock {
    private let descriptor: Int32
    let url: URL

    /// Takes the lock at `url`, waiting while `partial` grows.
    init(at url: URL, fileName: String, partial: PartialFile, stallTimeout: TimeInterval) throws {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw PresetDownloadError.fileSystem(path: url, reason: "cannot create the lock directory: \(error.localizedDescription)")
        }
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw PresetDownloadError.fileSystem(path: url, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        var lastSize = partial.size
        var lastProgress = Date()
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw PresetDownloadError.fileSystem(path: url, reason: "cannot lock: \(reason)")
            }
            let size = partial.size
            if size != lastSize {
                lastSize = size
                lastProgress = Date()
            } else if Date().timeIntervalSince(lastProgress) > stallTimeout {
                close(descriptor)
                throw PresetDownloadError.lockTimeout(file: fileName, lock: url, seconds: Int(stallTimeout))
            }
            usleep(50_000)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
