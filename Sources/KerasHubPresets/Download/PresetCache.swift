import Foundation

/// The on-disk cache: `<root>/<repository>/<revision>/<path>`.
///
/// Verification is remembered in a sidecar `<path>.sha256` holding the file's lowercase hex
/// digest, written right after a verified download (so its modification time is not older than
/// the file's). A cached file counts as verified when the sidecar holds the expected digest and the
/// file was not modified after the sidecar; otherwise the file is rehashed once (and the sidecar
/// rewritten if it matches), so a 500 MB file is hashed once, not on every load. In-progress
/// downloads live next to their target as `<path>.partial`.
struct PresetCache: Sendable {
    /// What the cache holds for one file.
    enum Status: Equatable {
        /// Present and matching every known check.
        case valid
        /// Not there.
        case missing
        /// There but failing a check (described).
        case invalid(String)
    }

    static let sidecarExtension = "sha256"
    static let partialExtension = "partial"

    let root: URL

    /// The directory holding `repository` at `revision`.
    func directory(repository: [String], revision: [String]) -> URL {
        PresetPath.appending(repository + revision, to: root, directory: true)
    }

    /// Where `components` of a file live in `directory`.
    func location(of components: [String], in directory: URL) -> URL {
        PresetPath.appending(components, to: directory)
    }

    static func sidecar(for file: URL) -> URL { file.appendingPathExtension(sidecarExtension) }
    static func partial(for file: URL) -> URL { file.appendingPathExtension(partialExtension) }

    /// Checks the cached copy at `url` against `file`'s size and sha256.
    static func status(of file: RemoteFile, at url: URL) -> Status {
        let manager = FileManager.default
        guard let attributes = try? manager.attributesOfItem(atPath: url.path),
              (attributes[.type] as? FileAttributeType) == .typeRegular else { return .missing }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if let expected = file.size, size != expected {
            return .invalid("cached copy has \(size) bytes, expected \(expected)")
        }
        guard let expected = file.normalizedSHA256 else { return .valid }
        if sidecarVouches(for: url, digest: expected, fileModified: attributes[.modificationDate] as? Date) {
            return .valid
        }
        guard let found = try? SHA256Digest.hex(ofFileAt: url) else { return .invalid("cached copy is unreadable") }
        guard found == expected else { return .invalid("cached copy has sha256 \(found), expected \(expected)") }
        writeSidecar(for: url, digest: found)
        return .valid
    }

    /// Records that `url` hashes to `digest` (best effort: a missing sidecar only costs a rehash).
    static func writeSidecar(for url: URL, digest: String) {
        try? Data((digest + "\n").utf8).write(to: sidecar(for: url), options: .atomic)
    }

    private static func sidecarVouches(for url: URL, digest: String, fileModified: Date?) -> Bool {
        let sidecarURL = sidecar(for: url)
        guard let data = try? Data(contentsOf: sidecarURL),
              String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == digest,
              let attributes = try? FileManager.default.attributesOfItem(atPath: sidecarURL.path),
              let sidecarModified = attributes[.modificationDate] as? Date,
              let fileModified else { return false }
        return sidecarModified >= fileModified
    }
}
