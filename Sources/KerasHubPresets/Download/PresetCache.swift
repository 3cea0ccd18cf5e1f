import Foundation

/// The on-disk cache: `<root>/<repository>/<revision>/<path>`.
///
/// A file is only ever placed there verified, and its verification is remembered in a sidecar
/// `<path>.sha256` (``VerificationRecord``: the sha256 and the file's identity). A cached file
/// counts as valid when it matches the registry's size and sha256 (if pinned) and either its
/// record vouches for it unchanged or it hashes to the recorded digest (then the record is
/// rewritten), so a 500 MB file is hashed once, not on every load. A file with no record and no
/// pinned sha256 (not put there by a verified download) is not valid: it is fetched again, or
/// offline, reported. Beside each file: `<path>.partial` (a download in progress),
/// `<path>.partial.validator` (its `If-Range` validator) and `<path>.absent` (an optional file the
/// source does not have). Lock files, held while a file is fetched, live apart under
/// `<root>/.locks/<repository>/<revision>/<path>.lock` (as `huggingface_hub` keeps its own), so
/// the preset directory holds only the preset.
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
    static let validatorExtension = "validator"
    static let lockExtension = "lock"
    static let absentExtension = "absent"

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
    static func validator(for file: URL) -> URL { partial(for: file).appendingPathExtension(validatorExtension) }
    /// The lock file of `components` in `repository` at `revision`.
    func lock(repository: [String], revision: [String], components: [String]) -> URL {
        PresetPath.appending([".locks"] + repository + revision + components, to: root).appendingPathExtension(Self.lockExtension)
    }
    static func absenceMarker(for file: URL) -> URL { file.appendingPathExtension(absentExtension) }

    /// Checks the cached copy at `url` against `file`'s size and sha256 and its verification record.
    static func status(of file: RemoteFile, at url: URL) -> Status {
        guard let identity = FileIdentity(of: url), identity.isRegular else { return .missing }
        if let expected = file.size, identity.size != expected {
            return .invalid("cached copy has \(identity.size) bytes, expected \(expected)")
        }
        let record = VerificationRecord.read(for: url)
        let pinned = file.normalizedSHA256
        if let record, let recorded = record.identity, recorded == identity, pinned == nil || pinned == record.sha256 {
            return .valid
        }
        guard let expected = pinned ?? record?.sha256 else {
            return .invalid("cached copy has no verification record (it did not come from a verified download)")
        }
        guard let found = try? FileDigests(ofFileAt: url, size: identity.size, gitBlob: false, md5: false).sha256 else {
            return .invalid("cached copy is unreadable")
        }
        guard found == expected else { return .invalid("cached copy has sha256 \(found), expected \(expected)") }
        VerificationRecord.write(sha256: found, for: url)
        return .valid
    }
}
