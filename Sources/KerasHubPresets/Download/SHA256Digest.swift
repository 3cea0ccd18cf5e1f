import Crypto
import Foundation

/// SHA-256 helpers that print digests as lowercase hexadecimal, the form registries use.
public enum SHA256Digest {
    /// The size of each read when hashing a file; files are streamed, never loaded whole.
    static let chunkSize = 1 << 20

    /// The hex SHA-256 of in-memory bytes.
    public static func hex(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// The hex SHA-256 of the file at `url`, read in 1 MiB chunks (through ``FileDigests``).
    /// - Throws: ``PresetDownloadError/fileSystem(path:reason:)`` when the file cannot be read.
    public static func hex(ofFileAt url: URL) throws -> String {
        try FileDigests(ofFileAt: url, size: 0, gitBlob: false, md5: false).sha256
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { FileDigests.hex(digest) }
}
