import Foundation
import KerasHubModels

/// A `kaggle://owner/model/framework/variation[/version]` handle, as KerasHub's presets name
/// themselves on Kaggle Models (`kaggle://keras/bert/keras/bert_base_en_uncased/3`).
public struct KaggleHandle: Sendable, Equatable {
    /// The model's owner, e.g. `keras`.
    public var owner: String
    /// The model, e.g. `bert`.
    public var model: String
    /// The framework, e.g. `keras`.
    public var framework: String
    /// The variation, e.g. `bert_base_en_uncased`.
    public var variation: String
    /// The version, or `nil` for the latest.
    public var version: Int?

    /// The largest version number accepted.
    public static let maximumVersion = 1_000_000

    /// Parses a handle.
    /// - Throws: ``PresetError/invalidFile(file:reason:)`` for a malformed handle.
    public init(_ text: String) throws {
        let reason = "expected kaggle://owner/model/framework/variation[/version] (version a positive integer)"
        guard text.hasPrefix("kaggle://") else { throw PresetError.invalidFile(file: text, reason: reason) }
        let segments = text.dropFirst("kaggle://".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        func valid(_ segment: String) -> Bool {
            !segment.isEmpty && segment != "." && segment != ".." && segment.unicodeScalars.allSatisfy(allowed.contains)
        }
        guard segments.count == 4 || segments.count == 5, segments.prefix(4).allSatisfy(valid) else {
            throw PresetError.invalidFile(file: text, reason: reason)
        }
        if segments.count == 5 {
            guard let version = Int(segments[4]), version >= 1, version <= Self.maximumVersion else {
                throw PresetError.invalidFile(file: text, reason: reason)
            }
            self.version = version
        } else {
            self.version = nil
        }
        owner = segments[0]
        model = segments[1]
        framework = segments[2]
        variation = segments[3]
    }

    /// `owner/model/framework/variation`.
    public var path: String { "\(owner)/\(model)/\(framework)/\(variation)" }

    /// The repository name its files are cached (and mirrored) under: `kaggle/<path>`.
    var cacheRepository: String { "kaggle/\(path)" }
}

/// Kaggle's latest version of a model variation.
enum KaggleVersions {
    /// The version to use for an unversioned handle: offline or with a directory mirror, the newest
    /// version already in the cache; else `versionNumber` of Kaggle's
    /// `models/<owner>/<model>/<framework>/<variation>/get` (a remote mirror serves that file too).
    /// - Throws: ``PresetDownloadError`` when it cannot be found.
    static func latest(of handle: KaggleHandle, downloader: PresetDownloader) throws -> Int {
        let environment = downloader.environment
        let cached = try newestCachedVersion(of: handle, downloader: downloader)
        if environment.isOffline || { if case .directory = environment.mirror { return true } else { return false } }() {
            guard let cached else {
                throw PresetDownloadError.offlineFileMissing(
                    file: "get (the latest version)", repository: "kaggle://\(handle.path)",
                    expectedAt: try downloader.cacheDirectory(repository: handle.cacheRepository, revision: "1"),
                    problem: "name a version (kaggle://\(handle.path)/N) or fetch it once online")
            }
            return cached
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("keras-hub-kaggle-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let target = scratch.appendingPathComponent("get.json")
        let parts = ["models", handle.owner, handle.model, handle.framework, handle.variation, "get"]
        let base: URL
        if case .remote(let mirror)? = environment.mirror {
            base = mirror.appendingPathComponent("kaggle")
        } else {
            base = environment.kaggleEndpoint
        }
        guard let url = PresetPath.appending(encoded: parts, to: base) else {
            throw PresetDownloadError.invalidPath(parts.joined(separator: "/"), reason: "cannot form a URL under \(base.absoluteString)")
        }
        try ResumableDownload(
            file: RemoteFile(path: "get", size: nil), url: url, partial: PartialFile(target: target),
            options: downloader.options, progress: nil
        ).run()
        let data = (try? Data(contentsOf: target)) ?? Data()
        guard data.count <= 1 << 20,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let version = object["versionNumber"] as? Int, version >= 1, version <= KaggleHandle.maximumVersion
        else {
            throw PresetDownloadError.invalidPath(
                url.absoluteString, reason: "Kaggle's answer has no versionNumber between 1 and \(KaggleHandle.maximumVersion)")
        }
        return version
    }

    private static func newestCachedVersion(of handle: KaggleHandle, downloader: PresetDownloader) throws -> Int? {
        let variation = try downloader.cacheDirectory(repository: handle.cacheRepository, revision: "1").deletingLastPathComponent()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: variation.path)) ?? []
        return entries.compactMap(Int.init).filter { version in
            FileManager.default.fileExists(atPath: variation.appendingPathComponent("\(version)/config.json").path)
        }.max()
    }
}
