import Foundation

/// The settings that decide where presets are cached and fetched from.
///
/// Read from the process environment with ``current``, or built explicitly (tests inject one
/// instead of mutating the process environment, so they can run in parallel):
///
/// | Variable | Meaning | Default |
/// |---|---|---|
/// | `KERAS_HUB_CACHE` | cache root, laid out `<cache>/<repository>/<revision>/<path>` | `~/.cache/keras-hub-swift` |
/// | `KERAS_HUB_MIRROR` | a directory or `http(s)://` URL laid out `<mirror>/<repository>/<path>`; when set it replaces the hub | none |
/// | `KERAS_HUB_OFFLINE` | `1`/`true`/`yes`/`on`: never use the network | off |
/// | `KERAS_HUB_HUB_ENDPOINT` (else `HF_ENDPOINT`) | the Hugging Face hub's base URL | `https://huggingface.co` |
/// | `KERAS_HUB_KAGGLE_ENDPOINT` | Kaggle's public API base URL, for `kaggle://` handles | `https://www.kaggle.com/api/v1` |
public struct PresetEnvironment: Sendable, Hashable {
    /// The hub used when nothing overrides it.
    public static let defaultHubEndpoint = URL(string: "https://huggingface.co")!  // a literal, always valid
    /// Kaggle's public API when nothing overrides it.
    public static let defaultKaggleEndpoint = URL(string: "https://www.kaggle.com/api/v1")!  // a literal, always valid

    /// The cache root.
    public var cacheDirectory: URL
    /// The mirror to fetch from instead of the hub, if any.
    public var mirror: PresetMirror?
    /// Whether network access is forbidden (a directory mirror is still read).
    public var isOffline: Bool
    /// The hub's base URL; files come from `<hub>/<repository>/resolve/<revision>/<path>`.
    public var hubEndpoint: URL
    /// Kaggle's API base URL; model files come from
    /// `<kaggle>/models/<owner>/<model>/<framework>/<variation>/<version>/download/<path>`.
    public var kaggleEndpoint: URL

    /// Builds an environment from explicit values.
    public init(
        cacheDirectory: URL,
        mirror: PresetMirror? = nil,
        isOffline: Bool = false,
        hubEndpoint: URL = PresetEnvironment.defaultHubEndpoint,
        kaggleEndpoint: URL = PresetEnvironment.defaultKaggleEndpoint
    ) {
        self.cacheDirectory = cacheDirectory
        self.mirror = mirror
        self.isOffline = isOffline
        self.hubEndpoint = hubEndpoint
        self.kaggleEndpoint = kaggleEndpoint
    }

    /// Builds an environment from variables named as in the table above; empty values count as unset.
    /// `homeDirectory` locates the default cache.
    public init(
        variables: [String: String],
        homeDirectory: URL = FileManager.default.homeDirectoryForCurrentUser
    ) {
        func value(_ name: String) -> String? {
            guard let text = variables[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        let cache: URL
        if let path = value("KERAS_HUB_CACHE") {
            cache = URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true).standardizedFileURL
        } else {
            cache = homeDirectory.appendingPathComponent(".cache/keras-hub-swift", isDirectory: true)
        }
        let hub = (value("KERAS_HUB_HUB_ENDPOINT") ?? value("HF_ENDPOINT")).flatMap { URL(string: $0) }
        self.init(
            cacheDirectory: cache,
            mirror: value("KERAS_HUB_MIRROR").flatMap { PresetMirror(parsing: $0) },
            isOffline: value("KERAS_HUB_OFFLINE").map(PresetEnvironment.isTruthy) ?? false,
            hubEndpoint: hub ?? PresetEnvironment.defaultHubEndpoint,
            kaggleEndpoint: value("KERAS_HUB_KAGGLE_ENDPOINT").flatMap { URL(string: $0) } ?? PresetEnvironment.defaultKaggleEndpoint
        )
    }

    /// The environment of this process.
    public static var current: PresetEnvironment {
        PresetEnvironment(variables: ProcessInfo.processInfo.environment)
    }

    static func isTruthy(_ text: String) -> Bool {
        ["1", "true", "yes", "on"].contains(text.lowercased())
    }
}
