import Foundation

/// Checks repository names, revisions and file paths before they become cache paths or URLs, so
/// that nothing a registry or user writes can escape the cache (`..`, absolute paths).
enum PresetPath {
    /// The `/`-separated components of `text`, each non-empty and not `.` or `..`.
    static func components(of text: String, what: String) throws -> [String] {
        guard !text.isEmpty else { throw PresetDownloadError.invalidPath(text, reason: "\(what) is empty") }
        guard !text.hasPrefix("/") else { throw PresetDownloadError.invalidPath(text, reason: "\(what) must be relative") }
        guard !text.contains("\\"), !text.contains("\0") else {
            throw PresetDownloadError.invalidPath(text, reason: "\(what) contains a backslash or NUL")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts where part.isEmpty || part == "." || part == ".." {
            throw PresetDownloadError.invalidPath(text, reason: "\(what) has an empty, '.' or '..' component")
        }
        return parts
    }

    /// `base` with `components` appended as path components (the last one a file unless `directory`).
    static func appending(_ components: [String], to base: URL, directory: Bool = false) -> URL {
        var url = base
        for (index, part) in components.enumerated() {
            url.appendPathComponent(part, isDirectory: directory || index < components.count - 1)
        }
        return url
    }

    /// `base` (an http(s) URL) with each component percent-encoded and appended. A component that
    /// itself contains `/` (a revision such as `refs/pr/1`) is encoded as one segment (`%2F`).
    static func appending(encoded components: [String], to base: URL) -> URL? {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        for part in components {
            guard let encoded = part.addingPercentEncoding(withAllowedCharacters: allowed) else { return nil }
            text += "/" + encoded
        }
        return URL(string: text)
    }
}
