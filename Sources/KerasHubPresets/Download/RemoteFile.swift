/// One file of a remote preset repository, as the preset registry describes it.
///
/// `path` is relative to the repository root (`"model.safetensors"`, `"1_Pooling/config.json"`).
/// When `sha256` is known the downloaded bytes must hash to it; when `size` is known they must be
/// exactly that many bytes (and a short transfer is resumed until they are).
public struct RemoteFile: Sendable, Hashable, Codable {
    /// The file's path inside the repository, with `/` separators and no `.` or `..` components.
    public var path: String
    /// The expected SHA-256 of the contents as 64 hexadecimal digits (either case), or `nil` if unknown.
    public var sha256: String?
    /// The expected size in bytes, or `nil` if unknown.
    public var size: Int?

    /// Describes a remote file; `sha256` and `size` are optional checks.
    public init(path: String, sha256: String? = nil, size: Int? = nil) {
        self.path = path
        self.sha256 = sha256
        self.size = size
    }

    /// The expected hash in lowercase, for comparisons.
    var normalizedSHA256: String? { sha256?.lowercased() }
}
