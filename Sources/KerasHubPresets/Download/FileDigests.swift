import Crypto
import Foundation

/// The digests of one file computed in a single streamed pass: always the sha256 (what the cache
/// records), and on request the git blob id and the MD5 a server may state instead.
struct FileDigests: Sendable, Equatable {
    /// Lowercase hex SHA-256 of the bytes.
    var sha256: String
    /// Lowercase hex SHA-1 of `"blob <size>\0"` followed by the bytes: git's object id.
    var gitBlobID: String?
    /// Lowercase hex MD5 of the bytes.
    var md5: String?

    /// Hashes the file at `url` (`size` bytes long) in 1 MiB reads.
    /// - Throws: ``PresetDownloadError/fileSystem(path:reason:)`` when it cannot be read.
    init(ofFileAt url: URL, size: Int, gitBlob: Bool, md5: Bool) throws {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw PresetDownloadError.fileSystem(path: url, reason: "cannot open for hashing: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var sha256 = SHA256()
        var sha1 = gitBlob ? Insecure.SHA1() : nil
        var md5Hasher = md5 ? Insecure.MD5() : nil
        sha1?.update(data: Data("blob \(size)\0".utf8))
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: SHA256Digest.chunkSize) } catch {
                throw PresetDownloadError.fileSystem(path: url, reason: "read failed while hashing: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            sha256.update(data: chunk)
            sha1?.update(data: chunk)
            md5Hasher?.update(data: chunk)
        }
        self.sha256 = Self.hex(sha256.finalize())
        self.gitBlobID = sha1.map { Self.hex($0.finalize()) }
        self.md5 = md5Hasher.map { Self.hex($0.finalize()) }
    }

    /// The git blob id of in-memory bytes (what the hub's `ETag` is for a non-LFS file).
    static func gitBlobID(of data: Data) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Data("blob \(data.count)\0".utf8))
        hasher.update(data: data)
        return hex(hasher.finalize())
    }

    /// Whether `byte` is an ASCII hexadecimal digit, either case.
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
