import Foundation
import KerasHubModels
@testable import KerasHubPresets
import KerasHubTokenizers
import Synchronization
import Testing

/// The extra-large tier (DESIGN §5): every built-in preset downloads through the real download code
/// from whatever `KERAS_HUB_MIRROR` (or hub) the environment gives, verifies, loads, tokenizes and
/// runs; parameter counts must equal KerasHub's published counts. It starts no server itself:
/// `Tools/run_extra_large.sh` makes a mirror, serves it and runs this suite.
///
/// | Variable | Meaning |
/// |---|---|
/// | `KERAS_HUB_RUN_EXTRA_LARGE=1` | run the tier |
/// | `KERAS_HUB_MIRROR` | where presets come from (as for the library); unset: the hub |
/// | `KERAS_HUB_EXTRA_LARGE_CACHE` | a cache directory to use and keep; default: a fresh one, each preset's files deleted after its check |
/// | `KERAS_HUB_EXTRA_LARGE_PRESETS` | comma-separated preset names (default: all) |
/// | `KERAS_HUB_EXTRA_LARGE_MAX_PARAMETERS` | skip presets above this many parameters |
/// | `KERAS_HUB_EXTRA_LARGE_REPORT` | also write the result table (Markdown) to this file |
enum ExtraLargeTier {
    static let variables = ProcessInfo.processInfo.environment
    static let enabled = variables["KERAS_HUB_RUN_EXTRA_LARGE"] == "1"
    static let skipMessage = "extra-large tier: set KERAS_HUB_RUN_EXTRA_LARGE=1 and KERAS_HUB_MIRROR (Tools/run_extra_large.sh does both)"
}

/// One row of the result table.
struct ExtraLargeRow: Sendable {
    enum Status: String, Sendable { case ok, failed, skipped }
    var preset: String
    var counted: Int?
    var published: Int
    var downloadedBytes = 0
    /// Files whose sha256 was checked on arrival (a `.sha256` sidecar vouches for them), of all listed.
    var verified: (Int, Int) = (0, 0)
    var downloadMs: Double?
    var loadMs: Double?
    var forwardMs: Double?
    var tasks: [String] = []
    var status: Status = .ok
    var notes: [String] = []

    mutating func fail(_ note: String) {
        status = .failed
        notes.append(note)
    }
}

/// Counts downloaded bytes and prints one line per file (progress for logs, never a bar).
final class ExtraLargeProgress: DownloadProgressReporter {
    private struct State { var file = ""; var started = Date(); var completed = 0; var total = 0 }
    private let state = Mutex(State())

    /// Bytes transferred so far over all files.
    var total: Int { state.withLock { $0.total } }

    func begin(file: String, completed: Int, total: Int?) {
        state.withLock { $0.file = file; $0.started = Date(); $0.completed = completed }
    }

    func update(completed: Int) { state.withLock { $0.completed = completed } }

    func end() {
        let (file, bytes, seconds) = state.withLock { state -> (String, Int, Double) in
            state.total += state.completed
            return (state.file, state.completed, Date().timeIntervalSince(state.started))
        }
        print(String(format: "    downloaded %@: %.1f MB in %.1f s", file, Double(bytes) / 1e6, seconds))
    }
}

@Suite(.serialized, .enabled(if: ExtraLargeTier.enabled, Comment(rawValue: ExtraLargeTier.skipMessage)))
struct ExtraLargePresetTests {
    static let text = "The quick brown fox jumps over the lazy dog."
    static let sequenceLength = 12

    @Test func everyBuiltInPresetDownloadsVerifiesLoadsAndRuns() throws {
        let variables = ExtraLargeTier.variables
        let base = PresetEnvironment.current
        let keepCache = variables["KERAS_HUB_EXTRA_LARGE_CACHE"].map { !$0.isEmpty } ?? false
        let cacheRoot = try keepCache
            ? URL(fileURLWithPath: variables["KERAS_HUB_EXTRA_LARGE_CACHE"] ?? "", isDirectory: true)
            : makeTemporaryDirectory("kh-extra-large-cache")
        defer { if !keepCache { try? FileManager.default.removeItem(at: cacheRoot) } }
        let environment = PresetEnvironment(cacheDirectory: cacheRoot, mirror: base.mirror, isOffline: base.isOffline, hubEndpoint: base.hubEndpoint)
        let selected = Set((variables["KERAS_HUB_EXTRA_LARGE_PRESETS"] ?? "").split(separator: ",").map(String.init))
        let maxParameters = variables["KERAS_HUB_EXTRA_LARGE_MAX_PARAMETERS"].flatMap { Int($0) }
        let source = base.mirror.map { mirror -> String in
            switch mirror {
            case .directory(let url): return "directory mirror \(url.path)"
            case .remote(let url): return "mirror \(url.absoluteString)"
            }
        } ?? "the hub \(base.hubEndpoint.absoluteString) (no KERAS_HUB_MIRROR)"
        print("extra-large tier: presets from \(source), cache \(cacheRoot.path)\(keepCache ? " (kept)" : " (fresh, emptied per preset)")")

        let started = Date()
        var rows: [ExtraLargeRow] = []
        for preset in PresetRegistry.builtIn.presets {
            var row = ExtraLargeRow(preset: preset.name, published: preset.parameters)
            if !selected.isEmpty && !selected.contains(preset.name) {
                continue
            }
            if let maxParameters, preset.parameters > maxParameters {
                row.status = .skipped
                row.notes.append("\(preset.parameters) parameters > KERAS_HUB_EXTRA_LARGE_MAX_PARAMETERS \(maxParameters)")
                rows.append(row)
                continue
            }
            print("\(preset.name) (\(preset.source.repository)):")
            row = Self.check(preset, row: row, environment: environment)
            print("  -> \(row.status.rawValue)\(row.notes.isEmpty ? "" : ": " + row.notes.joined(separator: "; "))")
            rows.append(row)
            if !keepCache, let directory = try? PresetDownloader(environment: environment, progress: nil)
                .cacheDirectory(repository: preset.source.repository, revision: preset.source.revision) {
                try? FileManager.default.removeItem(at: directory)
            }
        }
        let table = Self.table(rows, seconds: Date().timeIntervalSince(started), source: source)
        print(table)
        if let path = variables["KERAS_HUB_EXTRA_LARGE_REPORT"], !path.isEmpty {
            try Data(table.utf8).write(to: URL(fileURLWithPath: path))
        }
        let failed = rows.filter { $0.status == .failed }
        #expect(failed.isEmpty, "failed: \(failed.map { "\($0.preset) (\($0.notes.joined(separator: "; ")))" }.joined(separator: ", "))")
        #expect(rows.contains { $0.status == .ok }, "no preset was checked")
    }

    // MARK: one preset

    static func check(_ preset: BuiltInPreset, row: ExtraLargeRow, environment: PresetEnvironment) -> ExtraLargeRow {
        var row = row
        let progress = ExtraLargeProgress()
        let downloader = PresetDownloader(environment: environment, options: DownloadOptions(maxRetries: 2, retryDelay: 0.5, timeout: 60), progress: progress)
        let files = preset.source.files.map { RemoteFile(path: $0.path, sha256: $0.sha256, size: $0.size) }

        // Reachable at all? A preset whose config.json cannot be had is skipped, not failed.
        do {
            _ = try downloader.fetch(repository: preset.source.repository, revision: preset.source.revision,
                                     files: files.filter { $0.path == "config.json" })
        } catch let error as PresetDownloadError {
            switch error {
            case .notFound, .offlineFileMissing, .transferFailed, .httpStatus:
                row.status = .skipped
                row.notes.append("not reachable: \(error)")
                return row
            default:
                row.fail("config.json: \(error)")
                return row
            }
        } catch {
            row.fail("config.json: \(error)")
            return row
        }

        // Every listed file through the real download code (progress, checksums, cache).
        let directory: PresetDirectory
        let bundled = preset.bundled != nil
        do {
            let start = Date()
            let cached = try downloader.fetch(repository: preset.source.repository, revision: preset.source.revision, files: files)
            row.downloadMs = Date().timeIntervalSince(start) * 1000
            row.downloadedBytes = progress.total
            let vouched = files.filter { FileManager.default.fileExists(atPath: PresetCache.sidecar(for: cached.appendingPathComponent($0.path)).path) }
            row.verified = (vouched.count, files.count)
            if vouched.count < files.count {
                row.notes.append("not verified (no pinned sha256, no mirror SHA256SUMS entry): "
                    + files.filter { !vouched.contains($0) }.map(\.path).joined(separator: ", "))
            }
            directory = bundled
                ? try PresetResolver.resolve(preset.name, for: .backbone(loadWeights: true), environment: environment)
                : try PresetFetcher.fetch(builtIn: preset, purpose: .backbone(loadWeights: true), downloader: downloader)
            if !bundled && directory.url.standardizedFileURL != cached.standardizedFileURL {
                row.fail("resolver directory \(directory.url.path) is not the download's \(cached.path)")
            }
            if bundled { row.notes.append("bundled: source files downloaded and verified, the model loads from Presets/") }
        } catch {
            row.fail("download: \(error)")
            return row
        }
        let location = directory.url.path

        // Backbone: class, parameter count, one forward.
        let expectedHidden: Int?
        do {
            let config = try JSONFile.readObject(directory.file("config.json"))
            let hiddenKeys = ["hidden_size", "dim", "n_embd", "hidden_dim"]
            expectedHidden = hiddenKeys.lazy.compactMap { config[$0]?.intValue }.first
                ?? config["config"]?.objectValue.flatMap { inner in hiddenKeys.lazy.compactMap { inner[$0]?.intValue }.first }
        } catch {
            row.fail("config.json unreadable: \(error)")
            return row
        }
        let tokenizer: Tokenizer
        let batch: TokenBatch
        do {
            tokenizer = try Tokenizer.fromPreset(location)
            let ids = tokenizer.tokenize(text)
            let again = tokenizer.tokenize(tokenizer.detokenize(ids))
            if ids.isEmpty || ids.contains(where: { $0 < 0 || Int($0) >= tokenizer.vocabularySize }) {
                row.fail("tokenize gave \(ids)")
            } else if again != ids {
                // Unknown pieces detokenize to "[UNK]", which does not tokenize back to one id.
                if let unknown = tokenizer.tokenToId("[UNK]"), ids.contains(unknown) {
                    row.notes.append("'\(text)' has out-of-vocabulary pieces; round trip not compared")
                } else {
                    row.fail("tokenize(detokenize(ids)) != ids: '\(tokenizer.detokenize(ids))'")
                }
            }
            if preset.tokenizer.className == "GPT2Tokenizer", tokenizer.detokenize(ids) != text {
                row.fail("GPT-2 detokenize is not exact: '\(tokenizer.detokenize(ids))'")
            }
            let first = Array(ids.prefix(sequenceLength))
            let padded = first + Array(repeating: Int32(0), count: sequenceLength - first.count)
            let shortLength = max(1, first.count / 2)
            let second = Array(first.prefix(shortLength)) + Array(repeating: Int32(0), count: sequenceLength - shortLength)
            batch = try TokenBatch(
                tokenIds: [padded, second],
                paddingMask: [padded.indices.map { $0 < first.count }, second.indices.map { $0 < shortLength }])
        } catch {
            row.fail("tokenizer: \(error)")
            return row
        }
        // The logits' width is the model's vocabulary (a mirror's stand-in tokenizer may be smaller).
        var modelVocabulary = tokenizer.vocabularySize
        do {
            var start = Date()
            let backbone = try Backbone.fromPreset(bundled ? preset.name : location)
            row.loadMs = Date().timeIntervalSince(start) * 1000
            modelVocabulary = backbone.vocabularySize
            row.counted = backbone.parameterCount
            if "\(type(of: backbone))" != preset.className {
                row.fail("loaded \(type(of: backbone)), registry says \(preset.className)")
            }
            if backbone.parameterCount != preset.parameters {
                row.fail("\(backbone.parameterCount) parameters, KerasHub publishes \(preset.parameters)")
            }
            start = Date()
            let output = try backbone(batch)
            row.forwardMs = Date().timeIntervalSince(start) * 1000
            let hidden = expectedHidden ?? output.sequenceOutput.shape.last ?? 0
            if output.sequenceOutput.shape != [2, sequenceLength, hidden] {
                row.fail("sequence output \(output.sequenceOutput.shape), expected [2, \(sequenceLength), \(hidden)]")
            }
            if preset.className == "BertBackbone", output.pooledOutput?.shape != [2, hidden] {
                row.fail("pooled output \(String(describing: output.pooledOutput?.shape)), expected [2, \(hidden)]")
            }
            if output.sequenceOutput.scalars.contains(where: { !$0.isFinite }) {
                row.fail("non-finite hidden states")
            }
        } catch {
            row.fail("backbone: \(error)")
            return row
        }

        // Tasks.
        for task in preset.tasks {
            let outcome = runTask(task, location: bundled ? preset.name : location, batch: batch, vocabulary: modelVocabulary)
            row.tasks.append("\(task) \(outcome.summary)")
            if case .failed(let why) = outcome { row.fail("\(task): \(why)") }
        }
        return row
    }

    enum TaskOutcome {
        case ok(ms: Double)
        case skipped(String)
        case failed(String)

        var summary: String {
            switch self {
            case .ok(let ms): String(format: "ok %.0f ms", ms)
            case .skipped(let why): "skipped (\(why))"
            case .failed: "FAILED"
            }
        }
    }

    /// Loads `task` from the preset and runs one forward, checking the output shape.
    static func runTask(_ task: String, location: String, batch: TokenBatch, vocabulary: Int) -> TaskOutcome {
        let start = Date()
        func expect(_ shape: [Int], _ expected: [Int]) -> TaskOutcome {
            shape == expected ? .ok(ms: Date().timeIntervalSince(start) * 1000) : .failed("output \(shape), expected \(expected)")
        }
        do {
            // Through the families' task descriptors, by task family: a new model's tasks are covered
            // as soon as its family is registered.
            guard let descriptor = ModelFamilies.task(className: task) else {
                return .failed("\(task) is in the registry but no family registers it")
            }
            switch descriptor.kind {
            case .textClassifier:
                let classifier = try TextClassifier.fromPreset(location, numClasses: 2)
                guard type(of: classifier) == descriptor.taskType else { return .failed("loaded \(type(of: classifier))") }
                return expect(try classifier(batch).shape, [2, 2])
            case .maskedLM:
                let model = try MaskedLM.fromPreset(location)
                guard type(of: model) == descriptor.taskType else { return .failed("loaded \(type(of: model))") }
                return expect(try model.logits(batch).shape, [2, batch.sequenceLength, vocabulary])
            case .textEmbedder:
                let embedder = try TextEmbedder.fromPreset(location)
                let vectors = try embedder.embed([text, "a second sentence"])
                let width = vectors.first?.count ?? 0
                guard vectors.count == 2, width > 0, vectors.allSatisfy({ $0.count == width }) else {
                    return .failed("embed gave \(vectors.map(\.count)) values")
                }
                return .ok(ms: Date().timeIntervalSince(start) * 1000)
            case .causalLM:
                let model = try CausalLM.fromPreset(location)
                let generated = try model.generate(tokenIds: [[464, 2068], [464]], maxLength: 6)
                guard generated.map(\.count) == [6, 6] else { return .failed("generate gave lengths \(generated.map(\.count))") }
                guard let gpt2 = model as? GPT2CausalLM else { return .ok(ms: Date().timeIntervalSince(start) * 1000) }
                return expect(try gpt2.logits(batch).shape, [2, batch.sequenceLength, vocabulary])
            }
        } catch {
            return .failed("\(error)")
        }
    }

    // MARK: report

    static func table(_ rows: [ExtraLargeRow], seconds: Double, source: String) -> String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
        func number(_ value: Int?) -> String {
            guard let value else { return "-" }
            let digits = Array(String(value))
            var out = ""
            for (index, digit) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
                out.append(digit)
            }
            return out
        }
        var lines = [
            "## Extra-large tier: \(rows.filter { $0.status == .ok }.count) ok, \(rows.filter { $0.status == .failed }.count) failed, "
                + "\(rows.filter { $0.status == .skipped }.count) skipped in \(String(format: "%.0f", seconds)) s (\(source))",
            "",
            "| preset | parameters counted | KerasHub parameters | downloaded MB | sha256 verified | download ms | load ms | forward ms | tasks | status |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        ]
        for row in rows {
            let status = row.status.rawValue + (row.notes.isEmpty ? "" : ": " + row.notes.joined(separator: "; "))
            lines.append("| \(row.preset) | \(number(row.counted)) | \(number(row.published)) | "
                + String(format: "%.1f", Double(row.downloadedBytes) / 1e6)
                + " | \(row.verified.1 == 0 ? "-" : "\(row.verified.0)/\(row.verified.1)")"
                + " | \(ms(row.downloadMs)) | \(ms(row.loadMs)) | \(ms(row.forwardMs)) | \(row.tasks.joined(separator: "; ")) | \(status) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
