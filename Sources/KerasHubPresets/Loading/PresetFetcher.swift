import Foundation
import KerasHubModels
import KerasHubTensor

/// Fetches the files of remote presets (built-in names, `hf://` and `kaggle://` handles) into the cache through
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

    /// An `hf://` repository; see ``fetch(repository:revision:layout:name:purpose:downloader:)``.
    static func fetch(handle: HubHandle, purpose: PresetResolver.Purpose,
                      downloader: PresetDownloader = PresetDownloader()) throws -> PresetDirectory {
        try fetch(
            repository: handle.repository, revision: handle.revision, layout: .huggingFace,
            name: "hf://\(handle.repository)@\(handle.revision)", purpose: purpose, downloader: downloader)
    }

    /// A `kaggle://` model variation, at its version or, without one, the latest (asked of Kaggle;
    /// offline, the newest version in the cache).
    static func fetch(kaggle handle: KaggleHandle, purpose: PresetResolver.Purpose,
                      downloader: PresetDownloader = PresetDownloader()) throws -> PresetDirectory {
        let version = try handle.version ?? KaggleVersions.latest(of: handle, downloader: downloader)
        return try fetch(
            repository: handle.cacheRepository, revision: String(version), layout: .kaggle,
            name: "kaggle://\(handle.path)/\(version)", purpose: purpose, downloader: downloader)
    }

    /// A remote repository: `config.json` first, then by its layout either KerasHub's files
    /// (`tokenizer.json` and its assets, `preprocessor.json`, `task.json`, `metadata.json`, and
    /// `model.weights.h5`, or `model.weights.json` and its shards, or our `model.safetensors`, plus
    /// `task.weights.h5`) or a transformers checkpoint's (the weights, single file or an index and
    /// its shards, and whichever tokenizer files the repository has).
    static func fetch(
        repository: String, revision: String, layout: RemoteLayout, name: String, purpose: PresetResolver.Purpose,
        downloader: PresetDownloader
    ) throws -> PresetDirectory {
        func get(_ path: String, optional: Bool = false) throws -> Bool {
            let file = RemoteFile(path: path)
            guard optional else {
                _ = try downloader.fetch(repository: repository, revision: revision, files: [file], layout: layout)
                return true
            }
            // A mirror's checksum list names every file it serves: an unlisted optional file is absent.
            return try downloader.fetchIfPresent(repository: repository, revision: revision, file: file, layout: layout)
        }
        let directory = try downloader.cacheDirectory(repository: repository, revision: revision)
        var modelType = ""
        let kerasHubLayout: Bool
        if try get("config.json", optional: purpose == .tokenizer) {
            let config = try JSONFile.readObject(directory.appendingPathComponent("config.json"))
            modelType = config["model_type"]?.stringValue ?? ModelFamilies.inferredModelType(keys: Set(config.keys)) ?? modelType
            kerasHubLayout = config["class_name"] != nil
        } else {
            kerasHubLayout = true
        }
        let loadWeights = purpose == .backbone(loadWeights: true)
        if kerasHubLayout {
            if try get("tokenizer.json", optional: true) {
                let tokenizer = try KerasHubObject(contentsOf: directory.appendingPathComponent("tokenizer.json"))
                // KerasHub writes no `assets` list: the class's own asset files then.
                let assets = tokenizer.assets.flatMap { $0.isEmpty ? nil : $0 } ?? TokenizerClasses.named(tokenizer.className)?.assets ?? []
                for asset in assets { _ = try get(asset) }
            }
            guard purpose != .tokenizer else { return PresetDirectory(url: directory, name: name) }
            for file in ["preprocessor.json", "task.json", "metadata.json"] { _ = try get(file, optional: true) }
            if loadWeights {
                if try !get(KerasWeightsCheckpoint.modelFileName, optional: true) {
                    if try get(KerasWeightsCheckpoint.modelIndexFileName, optional: true) {
                        let index = directory.appendingPathComponent(KerasWeightsCheckpoint.modelIndexFileName)
                        for shard in try ShardedKerasWeights.shardNames(indexURL: index) { _ = try get(shard) }
                    } else if try !get(SafetensorsCheckpoint.singleFileName, optional: true) {
                        try fetchShards(get: get, directory: directory)
                    }
                }
                _ = try get(KerasWeightsCheckpoint.taskFileName, optional: true)
            }
        } else {
            for path in optionalFiles(modelType: modelType) { _ = try get(path, optional: true) }
            if loadWeights, !(try get(SafetensorsCheckpoint.singleFileName, optional: true)) {
                try fetchShards(get: get, directory: directory)
            }
        }
        return PresetDirectory(url: directory, name: name)
    }

    private static func fetchShards(get: (String, Bool) throws -> Bool, directory: URL) throws {
        _ = try get(SafetensorsCheckpoint.indexFileName, false)
        let index = try JSONFile.readObject(directory.appendingPathComponent(SafetensorsCheckpoint.indexFileName))
        let shards = Set((index["weight_map"]?.objectValue ?? [:]).values.compactMap(\.stringValue)).sorted()
        for shard in shards { _ = try get(shard, false) }
    }

    static func isWeights(_ path: String) -> Bool { path.hasSuffix(".safetensors") || path.hasSuffix(".safetensors.index.json") }
}
