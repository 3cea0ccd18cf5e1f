import Foundation

/// Whether a file a preset names (a tokenizer asset, a weight shard) stays inside the preset after
/// symbolic links are resolved, so that a link planted in a preset cannot make us read
/// `/etc/passwd` or another user's files.
///
/// One layout of links is allowed out: a Hugging Face cache snapshot,
/// `…/models--org--name/snapshots/<revision>/`, whose files are links into the repository's own
/// blob store `…/models--org--name/blobs/`, which is where they may resolve.
package enum PresetContainment {
    /// Whether `file` resolves inside `directory` (or, for a Hugging Face snapshot directory,
    /// inside its repository's `blobs`). A file that does not exist resolves to itself.
    package static func resolves(_ file: URL, inside directory: URL) -> Bool {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        let target = file.standardizedFileURL.resolvingSymlinksInPath().path
        if isInside(target, root) { return true }
        let parts = root.split(separator: "/")
        if parts.count >= 3, parts[parts.count - 2] == "snapshots", parts[parts.count - 3].hasPrefix("models--") {
            let blobs = "/" + parts.dropLast(2).joined(separator: "/") + "/blobs"
            return isInside(target, blobs)
        }
        return false
    }

    private static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }
}
