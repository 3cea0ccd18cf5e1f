import Foundation

/// Where `KERAS_HUB_MIRROR` points: a local directory or an HTTP(S) server.
///
/// Either way the mirror is laid out as `<mirror>/<repository>/<path>`, e.g.
/// `/srv/mirror/sentence-transformers/all-MiniLM-L6-v2/model.safetensors`. A mirror serves one
/// revision per repository (there is no revision in its layout): whatever it holds is cached under
/// the revision that was asked for, so give registry files a `sha256` to catch a stale mirror.
public enum PresetMirror: Sendable, Hashable {
    /// A directory on this machine (or a mounted share); reading it is not network access, so it
    /// is used even when `KERAS_HUB_OFFLINE` is set.
    case directory(URL)
    /// An `http://` or `https://` base URL.
    case remote(URL)

    /// Interprets a `KERAS_HUB_MIRROR` value: `http(s)://…` is a server, `file://…` or any other text
    /// a directory path (relative paths resolve against `currentDirectory`). Empty text is no mirror.
    public init?(parsing value: String, currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            guard let url = URL(string: text) else { return nil }
            self = .remote(url)
        } else if lowered.hasPrefix("file://") {
            guard let url = URL(string: text), url.isFileURL else { return nil }
            self = .directory(url.standardizedFileURL)
        } else {
            let expanded = (text as NSString).expandingTildeInPath
            let url = expanded.hasPrefix("/")
                ? URL(fileURLWithPath: expanded, isDirectory: true)
                : currentDirectory.appendingPathComponent(expanded, isDirectory: true)
            self = .directory(url.standardizedFileURL)
        }
    }
}
