import Foundation

/// Copies one file from a directory mirror into the cache, through the partial, with the same
/// size and sha256 checks as a download.
struct MirrorCopy: Sendable {
    let file: RemoteFile
    let source: URL
    let partial: PartialFile

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw PresetDownloadError.notFound(file: file.path, url: source)
        }
        try partial.prepareDirectory()
        partial.remove()
        do {
            try FileManager.default.copyItem(at: source, to: partial.url)
        } catch {
            partial.remove()
            throw PresetDownloadError.fileSystem(path: source, reason: "cannot copy from the mirror: \(error.localizedDescription)")
        }
        let digest = try partial.verify(against: file, source: source)
        try partial.commit(digest: digest)
    }
}
