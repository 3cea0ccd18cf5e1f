import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies one file from a directory mirror into the cache, through the partial, with the same
/// size and digest checks as a download.
///
/// Only a regular file is read: a symbolic link is followed to what it names (a mirror laid out
/// like the hub's cache links into its blobs) and the bytes are copied, never the link; a
/// directory, FIFO, device or socket is refused (a FIFO would block a reader forever). The copy
/// stops at the cap of ``DownloadLimits``.
struct MirrorCopy: Sendable {
    let file: RemoteFile
    let source: URL
    let partial: PartialFile

    func run() throws {
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw PresetDownloadError.notFound(file: file.path, url: source)
        }
        // O_NONBLOCK: opening a FIFO with no writer must not wait; fstat then refuses it.
        let input = open(source.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else {
            throw PresetDownloadError.fileSystem(path: source, reason: "cannot open in the mirror: \(String(cString: strerror(errno)))")
        }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw PresetDownloadError.notRegularFile(file: file.path, path: source)
        }
        let size = Int(info.st_size)
        let cap = DownloadLimits.cap(for: file)
        if size > cap {
            throw PresetDownloadError.tooLarge(file, source: source, limit: cap, stated: size)
        }
        try partial.prepareDirectory()
        partial.remove()
        try copy(from: input, limit: cap)
        let sha256 = try partial.verify(
            against: DownloadExpectation(file: file, statement: ServerStatement(size: size), requiresDigest: false), source: source)
        try partial.commit(sha256: sha256)
    }

    /// Streams the open mirror file into the partial, at most `limit` bytes.
    private func copy(from input: Int32, limit: Int) throws {
        let output = open(partial.url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard output >= 0 else {
            throw PresetDownloadError.fileSystem(path: partial.url, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var copied = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                partial.remove()
                throw PresetDownloadError.fileSystem(path: source, reason: "read failed: \(reason)")
            }
            copied += count
            guard copied <= limit else {
                partial.remove()
                throw PresetDownloadError.sizeLimitExceeded(file: file.path, source: source, limit: limit, stated: nil)
            }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { bytes -> Int in
                    guard let base = bytes.baseAddress else { return -1 }
                    return write(output, base + written, count - written)
                }
                if result < 0, errno == EINTR { continue }
                guard result > 0 else {
                    let reason = String(cString: strerror(errno))
                    partial.remove()
                    throw PresetDownloadError.fileSystem(path: partial.url, reason: "write failed: \(reason)")
                }
                written += result
            }
        }
    }
}
