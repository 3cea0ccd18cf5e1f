import Foundation

/// What one HTTP response says about the file it carries: its length, the digests its headers
/// state, and the validator a later `If-Range` can name.
///
/// Read the way `huggingface_hub` reads the hub: `X-Linked-Size` and `X-Linked-Etag` (on the hub's
/// redirect to its CDN, for LFS files) give the size and sha256; otherwise, when the server is the
/// hub, the quoted `ETag` of its first response is the sha256 (64 hex digits, LFS) or the git blob
/// id (40 hex digits: the SHA-1 of `"blob <size>\0"` and the bytes). Google Cloud Storage (where
/// Kaggle redirects) states an MD5 in `x-goog-hash`. A length comes from `Content-Range`'s total
/// on a 206 or `Content-Length` on a 200.
struct ServerStatement: Sendable, Equatable {
    /// The file's whole length in bytes, if stated.
    var size: Int?
    /// The sha256 (lowercase hex) the server states, if any.
    var sha256: String?
    /// The header `sha256` came from.
    var sha256Header: String?
    /// The git blob id (lowercase hex SHA-1) the hub states for a non-LFS file, if any.
    var gitBlobID: String?
    /// The MD5 (lowercase hex) stated in `x-goog-hash`, if any.
    var md5: String?
    /// A strong `ETag` of the final response, else its `Last-Modified`: what `If-Range` names.
    var validator: String?

    /// Whether the statement names a digest to check the bytes against.
    var hasDigest: Bool { sha256 != nil || gitBlobID != nil || md5 != nil }

    /// Reads the statement of a response.
    /// - Parameters:
    ///   - head: the final response and the redirects before it.
    ///   - trustsETag: whether a hex `ETag` of the first response is the hub's content digest.
    init(head: ResponseHead, trustsETag: Bool) {
        let responses = head.redirects + [head.headers]
        for headers in responses {
            if size == nil, let value = headers["x-linked-size"], let parsed = Self.nonNegativeInteger(value) {
                size = parsed
            }
            if sha256 == nil, let value = headers["x-linked-etag"], let hex = Self.hexETag(value), hex.count == 64 {
                sha256 = hex
                sha256Header = "X-Linked-Etag"
            }
            if md5 == nil, let value = headers["x-goog-hash"] { md5 = Self.googleMD5(value) }
        }
        if trustsETag, let first = responses.first, let value = first["etag"], let hex = Self.hexETag(value) {
            if hex.count == 64, sha256 == nil {
                sha256 = hex
                sha256Header = "ETag"
            } else if hex.count == 40 {
                gitBlobID = hex
            }
        }
        let final = head.headers
        if size == nil {
            if head.status == 206, let range = final["content-range"], let total = Self.contentRangeTotal(range) {
                size = total
            } else if head.status == 200, let value = final["content-length"], let length = Self.nonNegativeInteger(value) {
                size = length
            }
        }
        if let etag = final["etag"]?.trimmingCharacters(in: .whitespaces), etag.hasPrefix("\""), etag.count >= 2 {
            validator = etag
        } else if let modified = final["last-modified"]?.trimmingCharacters(in: .whitespaces), !modified.isEmpty {
            validator = modified
        }
    }

    /// A memberwise statement (tests and the fuzz harness).
    init(size: Int? = nil, sha256: String? = nil, gitBlobID: String? = nil, md5: String? = nil, validator: String? = nil) {
        self.size = size
        self.sha256 = sha256
        self.sha256Header = sha256 == nil ? nil : "ETag"
        self.gitBlobID = gitBlobID
        self.md5 = md5
        self.validator = validator
    }

    /// Whether `other` describes a different file: a size or digest both state and disagree on.
    func contradicts(_ other: ServerStatement) -> Bool {
        func differ<T: Equatable>(_ a: T?, _ b: T?) -> Bool { a != nil && b != nil && a != b }
        return differ(size, other.size) || differ(sha256, other.sha256) || differ(gitBlobID, other.gitBlobID)
            || differ(md5, other.md5) || differ(validator, other.validator)
    }

    /// The lowercase hex inside an `ETag` such as `"a1b2…"` or `W/"a1b2…"`, when it is only hex digits.
    static func hexETag(_ value: String) -> String? {
        var text = Substring(value.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard text.count == 40 || text.count == 64, text.utf8.allSatisfy(FileDigests.isHexDigit) else { return nil }
        return text.lowercased()
    }

    /// `T` from `Content-Range: bytes N-M/T` (`nil` for `*` or anything malformed).
    static func contentRangeTotal(_ header: String) -> Int? {
        guard let slash = header.lastIndex(of: "/") else { return nil }
        return nonNegativeInteger(String(header[header.index(after: slash)...]))
    }

    /// `N` from `Content-Range: bytes N-M/T`.
    static func contentRangeStart(_ header: String) -> Int? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = text.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        return nonNegativeInteger(String(spec[..<dash]))
    }

    /// A decimal count of at most 18 digits (so it fits in `Int` with room to add to it).
    static func nonNegativeInteger(_ text: String) -> Int? {
        let digits = text.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(digits)
    }

    /// The MD5 of `x-goog-hash: crc32c=…, md5=<base64>` as lowercase hex.
    static func googleMD5(_ header: String) -> String? {
        for part in header.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard item.lowercased().hasPrefix("md5=") else { continue }
            guard let bytes = Data(base64Encoded: String(item.dropFirst(4))), bytes.count == 16 else { return nil }
            return bytes.map { String(format: "%02x", $0) }.joined()
        }
        return nil
    }
}
