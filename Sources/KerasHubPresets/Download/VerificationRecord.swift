import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sidecar `<path>.sha256` written when a file enters the cache: its sha256 and the identity of
/// the file it was computed over (size, inode, modification and status-change times to the
/// nanosecond), as one line `<sha256> size=<n> inode=<n> mtime=<s>.<ns> ctime=<s>.<ns>`.
///
/// The record vouches for the file only while all of them are unchanged. Any write to the file, or
/// a `touch` of it, moves its status-change time, which no user call can set back, so a same-size
/// file with an older modification time is hashed again instead of trusted. A sidecar holding
/// only a digest (older versions wrote those) never vouches without a rehash.
struct VerificationRecord: Sendable, Equatable {
    /// The lowercase hex sha256 of the file's bytes.
    var sha256: String
    /// The file's identity when it was hashed, `nil` in a digest-only sidecar.
    var identity: FileIdentity?

    /// The longest sidecar read; anything longer is not a record.
    static let maximumBytes = 512

    /// Reads the sidecar of `file`, `nil` when it is absent, oversized or malformed.
    static func read(for file: URL) -> VerificationRecord? {
        guard let data = FileIdentity.readRegularFile(at: PresetCache.sidecar(for: file), maximumBytes: maximumBytes) else { return nil }
        return VerificationRecord(parsing: String(decoding: data, as: UTF8.self))
    }

    /// Parses a record line (or a digest-only sidecar).
    init?(parsing text: String) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        guard let digest = fields.first.map({ String($0).lowercased() }), digest.count == 64,
              digest.utf8.allSatisfy(FileDigests.isHexDigit) else { return nil }
        sha256 = digest
        var values: [String: String] = [:]
        for field in fields.dropFirst() {
            let parts = field.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            values[String(parts[0])] = String(parts[1])
        }
        identity = values.isEmpty ? nil : FileIdentity(recorded: values)
        if !values.isEmpty, identity == nil { return nil }
    }

    init(sha256: String, identity: FileIdentity?) {
        self.sha256 = sha256
        self.identity = identity
    }

    /// The line written to the sidecar.
    var line: String {
        guard let identity else { return sha256 + "\n" }
        return "\(sha256) size=\(identity.size) inode=\(identity.inode) mtime=\(identity.modified) ctime=\(identity.changed)\n"
    }

    /// Writes the record for `file` as it is now (best effort: a missing sidecar only costs a rehash).
    static func write(sha256: String, for file: URL) {
        let record = VerificationRecord(sha256: sha256, identity: FileIdentity(of: file))
        try? Data(record.line.utf8).write(to: PresetCache.sidecar(for: file), options: .atomic)
    }
}

/// What `stat` says identifies one version of a file.
struct FileIdentity: Sendable, Equatable {
    var size: Int
    var inode: UInt64
    /// Modification time as `<seconds>.<nanoseconds>`.
    var modified: String
    /// Status-change time as `<seconds>.<nanoseconds>`.
    var changed: String
    /// Whether it is a regular file (not recorded; always true for a record).
    var isRegular = true

    /// The identity of the file at `url` (following symbolic links), `nil` if it cannot be read.
    init?(of url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        size = Int(info.st_size)
        inode = UInt64(info.st_ino)
        #if canImport(Glibc)
        modified = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        changed = "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        #else
        modified = "\(info.st_mtimespec.tv_sec).\(info.st_mtimespec.tv_nsec)"
        changed = "\(info.st_ctimespec.tv_sec).\(info.st_ctimespec.tv_nsec)"
        #endif
        isRegular = (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The bytes of the small regular file at `url`, `nil` when it is absent, not a regular file or
    /// longer than `maximumBytes` (checked before reading).
    static func readRegularFile(at url: URL, maximumBytes: Int) -> Data? {
        guard let identity = FileIdentity(of: url), identity.isRegular, identity.size <= maximumBytes else { return nil }
        return try? Data(contentsOf: url)
    }

    init?(recorded values: [String: String]) {
        guard let size = values["size"].flatMap(Int.init), let inode = values["inode"].flatMap(UInt64.init),
              let modified = values["mtime"], let changed = values["ctime"] else { return nil }
        self.size = size
        self.inode = inode
        self.modified = modified
        self.changed = changed
    }
}
