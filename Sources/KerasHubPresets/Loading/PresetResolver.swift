import Foundation
import KerasHubModels

/// Turns a preset string into a local directory, in the order of DESIGN §3: an existing local
/// directory, an `hf://org/name[@revision]` or `kaggle://owner/model/framework/variation[/version]`
/// handle, a built-in name; otherwise
/// ``PresetError/unknownPreset(name:suggestions:)`` with the closest built-in names.
public enum PresetResolver {
    /// What the caller needs from the preset, so only the files it needs are fetched.
    public enum Purpose: Sendable, Equatable {
        /// A backbone (config, and weights when `loadWeights`).
        case backbone(loadWeights: Bool)
        /// A tokenizer only.
        case tokenizer
    }

    /// A directory for `preset`.
    /// - Throws: ``PresetError`` or a download error.
    /// - Parameters:
    ///   - registry: the built-in presets (the shipped registry by default).
    ///   - environment: cache, mirror and offline settings (from the process environment by default).
    public static func resolve(
        _ preset: String, for purpose: Purpose, registry: PresetRegistry = .builtIn,
        environment: PresetEnvironment = .current
    ) throws -> PresetDirectory {
        let downloader = PresetDownloader(environment: environment)
        let expanded = (preset as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw PresetError.invalidFile(file: expanded, reason: "a preset must be a directory, not a file")
            }
            return PresetDirectory(url: URL(fileURLWithPath: expanded, isDirectory: true), name: preset)
        }
        if preset.hasPrefix("hf://") {
            let handle = try HubHandle(preset)
            return try PresetFetcher.fetch(handle: handle, purpose: purpose, downloader: downloader)
        }
        if preset.hasPrefix("kaggle://") {
            return try PresetFetcher.fetch(kaggle: KaggleHandle(preset), purpose: purpose, downloader: downloader)
        }
        if let builtIn = registry.preset(named: preset) {
            if let bundled = builtIn.bundled, let url = PresetRegistry.bundledFile(bundled) {
                return PresetDirectory(url: url, name: preset)
            }
            return try PresetFetcher.fetch(builtIn: builtIn, purpose: purpose, downloader: downloader)
        }
        throw PresetError.unknownPreset(name: preset, suggestions: registry.closestNames(to: preset))
    }
}

/// An `hf://org/name[@revision]` handle.
public struct HubHandle: Sendable, Equatable {
    /// `org/name`.
    public var repository: String
    /// The revision, `main` by default.
    public var revision: String

    /// Parses a handle.
    /// - Throws: ``PresetError/invalidFile(file:reason:)`` for a malformed handle.
    public init(_ text: String) throws {
        let body = text.dropFirst("hf://".count)
        let parts = body.split(separator: "@", maxSplits: 1).map(String.init)
        let repository = parts.first ?? ""
        let segments = repository.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 2, segments.allSatisfy({ !$0.isEmpty && $0 != ".." && $0 != "." }) else {
            throw PresetError.invalidFile(file: text, reason: "expected hf://org/name[@revision]")
        }
        self.repository = repository
        self.revision = parts.count > 1 && !parts[1].isEmpty ? parts[1] : "main"
    }
}
