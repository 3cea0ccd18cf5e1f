import Foundation

/// Whether a built-in preset can be loaded without the network.
public enum PresetAvailability {
    /// `bundled` (ships with the package), `cached` (every source file is in the cache), or `remote`.
    public static func describe(_ preset: BuiltInPreset, downloader: PresetDownloader = PresetDownloader(progress: nil)) -> String {
        if preset.bundled != nil { return "bundled" }
        let files = preset.source.files.map { RemoteFile(path: $0.path, sha256: $0.sha256, size: $0.size) }
        let missing = (try? downloader.missingFiles(repository: preset.source.repository, revision: preset.source.revision, files: files))
        return missing?.isEmpty == true ? "cached" : "remote"
    }
}
