import Foundation
import KerasHubModels
import KerasHubTensor

/// Fetches the files of remote presets (built-in names and `hf://` handles) into the cache through
/// ``PresetDownloader``, which applies the mirror, offline and checksum rules of DESIGN §3.
enum PresetFetcher {
    /// Files a transformers checkpoint may have besides config and weights; absent ones are skipped.
    /// The family's own list (`transformersFiles`); every family's for a config that names none
    /// (loading then reports the unknown `model_type`).
    static func optionalFiles(modelType: String) -> [String] {
        if let family = ModelFamilies.family(modelType: modelType) { return family.transformersFiles }
        var seen = Set<String>()
        return ModelFamilies.builtIn.flatMap(\.transformersFiles).filter { seen.insert($0).inserted }
    }

    /// A built-in preset's files from its source repository (only `config.json` without weights,
    /// only tokenizer files for a tokenizer).
    static func fetch(builtIn: BuiltInPreset, purpose: PresetResolver.Purpose,
                      downloader: PresetDownloader = PresetDownloader()) throws -> PresetDirectory {
        let source = builtIn.source
        let files = source.files.filter { file in
            switch purpose {
            case .backbone(let loadWeights): loadWeights || !isWeights(file.path)
            case .tokenizer: !isWeights(file.path) && file.path != "config.json"
            }
        }
        let url = try downloader.fetch(
            repository: source.repository, revision: source.revision,
            files: files.map { RemoteFile(path: $0.path, sha256: $0.sha256, size: $0.size) })
        return PresetDirectory(url: url, name: builtIn.name)
    }

    /// An `hf://` checkpoint: `config.json` first, then the weights (single file, or an index and
    /// its shards) and whichever tokenizer files the repository has.
    static func fetch(handle: HubHandle, purpose: PresetResolver.Purpose,
                      downloader: PresetDownloader = PresetDownloader()) throws -> PresetDirectory {
        let repository = handle.repository, revision = handle.revision
        func get(_ path: String, optional: Bool = false) throws -> Bool {
            do {
                _ = try downloader.fetch(repository: repository, revision: revision, files: [RemoteFile(path: path)])
                return true
            } catch PresetDownloadError.notFound where optional {
                return false
            } catch PresetDownloadError.notInChecksumList where optional {
                // A mirror's checksum list names every file it serves: an unlisted optional file is absent.
                return false
            }
        }
        var modelType = ""
        let kerasHubTokenizerOnly: Bool
        if try get("config.json", optional: purpose == .tokenizer) {
            let directory = try downloader.cacheDirectory(repository: repository, revision: revision)
            let config = try JSONFile.readObject(directory.appendingPathComponent("config.json"))
            modelType = config["model_type"]?.stringValue ?? ModelFamilies.inferredModelType(keys: Set(config.keys)) ?? modelType
            kerasHubTokenizerOnly = config["class_name"] != nil
        } else {
            kerasHubTokenizerOnly = true
        }
        if kerasHubTokenizerOnly {
            // A KerasHub-layout repository: tokenizer.json names its assets.
            if try get("tokenizer.json", optional: true) {
                let directory = try downloader.cacheDirectory(repository: repository, revision: revision)
                let tokenizer = try KerasHubObject(contentsOf: directory.appendingPathComponent("tokenizer.json"))
                // KerasHub writes no `assets` list: the class's own asset files then.
                let assets = tokenizer.assets.flatMap { $0.isEmpty ? nil : $0 } ?? TokenizerClasses.named(tokenizer.className)?.assets ?? []
                for asset in assets { _ = try get(asset) }
            }
            if case .backbone(true) = purpose, !(try get(SafetensorsCheckpoint.singleFileName, optional: true)) {
                try fetchShards(get: get, downloader: downloader, repository: repository, revision: revision)
            }
        } else {
            for path in optionalFiles(modelType: modelType) { _ = try get(path, optional: true) }
            if case .backbone(true) = purpose, !(try get(SafetensorsCheckpoint.singleFileName, optional: true)) {
                try fetchShards(get: get, downloader: downloader, repository: repository, revision: revision)
            }
        }
        return PresetDirectory(
            url: try downloader.cacheDirectory(repository: repository, revision: revision),
            name: "hf://\(repository)@\(revision)")
    }

    private static func fetchShards(
        get: (String, Bool) throws -> Bool, downloader: PresetDownloader, repository: String, revision: String
    ) throws {
        _ = try get(SafetensorsCheckpoint.indexFileName, false)
        let directory = try downloader.cacheDirectory(repository: repository, revision: revision)
        let index = try JSONFile.readObject(directory.appendingPathComponent(SafetensorsCheckpoint.indexFileName))
        let shards = Set((index["weight_map"]?.objectValue ?? [:]).values.compactMap(\.stringValue)).sorted()
        for shard in shards { _ = try get(shard, false) }
    }

    static func isWeights(_ path: String) -> Bool { path.hasSuffix(".safetensors") || path.hasSuffix(".safetensors.index.json") }
}
