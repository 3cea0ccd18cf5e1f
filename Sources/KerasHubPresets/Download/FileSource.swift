import Foundation

/// Which host serves a repository's files when no mirror is set.
public enum RemoteLayout: Sendable, Equatable {
    /// The Hugging Face hub.
    case huggingFace
    /// Kaggle Models' public API.
    case kaggle
}

/// Where one file of a preset comes from.
enum FileSource: Sendable, Equatable {
    /// A file in a directory mirror (no network).
    case directory(URL)
    /// An http(s) URL: a remote mirror or the hub.
    case http(URL)

    /// The place to name in errors.
    var url: URL {
        switch self {
        case .directory(let url), .http(let url): return url
        }
    }

    /// The source of `path` in `repository` at `revision` under `environment`: the mirror
    /// (`<mirror>/<repository>/<path>`) if one is set, else the host of `layout`:
    /// `<hub>/<repository>/resolve/<revision>/<path>` for the Hugging Face hub, or for Kaggle
    /// (`repository` = `kaggle/<owner>/<model>/<framework>/<variation>`, `revision` = the version)
    /// `<kaggle>/models/<owner>/<model>/<framework>/<variation>/<version>/download/<path>`.
    static func locate(
        repository: [String], revision: String, path: [String], environment: PresetEnvironment, layout: RemoteLayout = .huggingFace
    ) throws -> FileSource {
        switch environment.mirror {
        case .directory(let root)?:
            return .directory(PresetPath.appending(repository + path, to: root))
        case .remote(let base)?:
            return .http(try encoded(repository + path, base: base))
        case nil:
            switch layout {
            case .huggingFace:
                return .http(try encoded(repository + ["resolve", revision] + path, base: environment.hubEndpoint))
            case .kaggle:
                return .http(try encoded(["models"] + repository.dropFirst() + [revision, "download"] + path, base: environment.kaggleEndpoint))
            }
        }
    }

    private static func encoded(_ components: [String], base: URL) throws -> URL {
        guard let url = PresetPath.appending(encoded: components, to: base) else {
            throw PresetDownloadError.invalidPath(components.joined(separator: "/"), reason: "cannot form a URL under \(base.absoluteString)")
        }
        return url
    }
}
