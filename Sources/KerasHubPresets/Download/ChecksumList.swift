import Foundation
import Synchronization

/// A mirror's list of sha256 digests for one repository: `<mirror>/<repository>/SHA256SUMS`, in
/// the format `sha256sum` writes and `sha256sum -c` checks, one `<64 hex digits>  <path>` line per
/// file (a `*` before the path, marking binary mode, is accepted; blank lines and `#` comments are
/// skipped; `path` is relative to the repository, `./` allowed).
///
/// The rule (``expectation(for:list:)``), applied to every file a ``PresetDownloader`` fetches
/// from a mirror:
/// 1. a sha256 pinned by the registry always wins: the file must hash to it, and a list entry
///    that disagrees is ``PresetDownloadError/checksumConflict(file:list:pinned:listed:)``, so a
///    mirror can never override a pinned checksum;
/// 2. a file without a pinned sha256 must hash to the list's digest; a list that does not name it
///    is ``PresetDownloadError/notInChecksumList(file:list:)``;
/// 3. a mirror that serves no list (404, or no such file in a directory mirror) leaves unpinned
///    files to be checked against the length the mirror states (a body with neither a length nor
///    a digest is refused, see ``PresetDownloader``).
///
/// The list is read (once per downloader and repository) whenever a file has to be fetched from a
/// mirror, so a disagreement with a pinned sha256 is caught however the files are ordered.
public struct ChecksumList: Sendable, Hashable {
    /// The list's file name in each repository of a mirror.
    public static let fileName = "SHA256SUMS"

    /// Lowercase hex digest by repository-relative path.
    public let digests: [String: String]
    /// Where the list came from (named in errors).
    public let source: URL

    /// Parses the text of a list read from `source`.
    /// - Throws: ``PresetDownloadError/invalidChecksumList(list:reason:)`` naming the first bad line,
    ///   or a path listed twice with different digests.
    public init(parsing text: String, source: URL) throws {
        var digests: [String: String] = [:]
        // Split on scalars: the `Character` "\r\n" is one grapheme, which a split on "\n" never cuts.
        for (index, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(String.UnicodeScalarView(rawLine)).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let characters = Array(line.utf8)
            func invalid(_ reason: String) -> PresetDownloadError {
                .invalidChecksumList(list: source, reason: "line \(index + 1): \(reason)")
            }
            guard characters.count > 66, characters.prefix(64).allSatisfy(FileDigests.isHexDigit), characters[64] == UInt8(ascii: " "),
                  characters[65] == UInt8(ascii: " ") || characters[65] == UInt8(ascii: "*") else {
                throw invalid("expected '<64 hex digits>  <path>'")
            }
            let digest = String(decoding: characters.prefix(64), as: UTF8.self).lowercased()
            var path = String(decoding: characters.dropFirst(66), as: UTF8.self)
            while path.hasPrefix("./") { path.removeFirst(2) }
            guard (try? PresetPath.components(of: path, what: "path")) != nil else {
                throw invalid("invalid path '\(path)'")
            }
            if let earlier = digests[path], earlier != digest {
                throw invalid("'\(path)' is listed twice with different digests")
            }
            digests[path] = digest
        }
        self.digests = digests
        self.source = source
    }

    /// The listed digest of `path` (lowercase hex), if any.
    public func digest(for path: String) -> String? { digests[path] }

    /// What `file` must be checked against, given the mirror's `list` (`nil`: the mirror serves none).
    /// - Returns: `file` itself when its sha256 is pinned or there is no list; otherwise `file` with
    ///   the listed digest as its sha256.
    /// - Throws: ``PresetDownloadError/checksumConflict(file:list:pinned:listed:)`` or
    ///   ``PresetDownloadError/notInChecksumList(file:list:)``, as the rule above says.
    public static func expectation(for file: RemoteFile, list: ChecksumList?) throws -> RemoteFile {
        guard let list else { return file }
        let listed = list.digest(for: file.path)
        if let pinned = file.normalizedSHA256 {
            if let listed, listed != pinned {
                throw PresetDownloadError.checksumConflict(file: file.path, list: list.source, pinned: pinned, listed: listed)
            }
            return file
        }
        guard let listed else { throw PresetDownloadError.notInChecksumList(file: file.path, list: list.source) }
        return RemoteFile(path: file.path, sha256: listed, size: file.size)
    }
}

/// The checksum lists one ``PresetDownloader`` has read, by repository, so that a list is fetched
/// at most once per downloader (an `hf://` fetch asks for files one at a time).
final class ChecksumListCache: Sendable {
    /// `.some(nil)` records that the mirror serves no list for the repository.
    private let lists = Mutex<[String: ChecksumList?]>([:])

    /// The cached answer for `repository`, or the one `load` gives (then remembered).
    func list(for repository: String, load: () throws -> ChecksumList?) throws -> ChecksumList? {
        if let known = lists.withLock({ $0[repository] }) { return known }
        let loaded = try load()
        lists.withLock { $0[repository] = .some(loaded) }
        return loaded
    }
}
