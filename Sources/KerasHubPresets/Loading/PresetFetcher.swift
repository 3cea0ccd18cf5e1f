import Foundation

/// Fetches the files of remote presets into the cache (see the download layer).
enum PresetFetcher {
    static func fetch(handle: HubHandle, purpose: PresetResolver.Purpose) throws -> PresetDirectory {
        throw PresetError.missingFile(file: "hf://\(handle.repository)@\(handle.revision) (downloads not wired yet)")
    }

    static func fetch(builtIn: BuiltInPreset, purpose: PresetResolver.Purpose) throws -> PresetDirectory {
        throw PresetError.missingFile(file: "\(builtIn.source.repository) (downloads not wired yet)")
    }
}
