import Foundation
import Synchronization
@testable import KerasHubPresets

/// Deterministic pseudo-random bytes (a linear congruential generator), different per `seed`.
func fixtureBytes(count: Int, seed: UInt64 = 1) -> Data {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
    }
    return Data(bytes)
}

/// A fresh empty directory under the system temporary directory; removed by `TemporaryDirectory.remove`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("keras-hub-download-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A downloader for tests: no retry delay, short timeout, an injected environment.
func testDownloader(
    cache: URL,
    hub: URL? = nil,
    mirror: PresetMirror? = nil,
    offline: Bool = false,
    maxRetries: Int = 3,
    timeout: TimeInterval = 10,
    deadlineAllowance: TimeInterval = 120,
    minimumBytesPerSecond: Int = 32 << 10,
    progress: (any DownloadProgressReporter)? = nil
) -> PresetDownloader {
    // Port 9 (discard) on the loopback: nothing listens there, so a stray request fails fast.
    let unusedHub = URL(string: "http://127.0.0.1:9")!
    let environment = PresetEnvironment(cacheDirectory: cache, mirror: mirror, isOffline: offline, hubEndpoint: hub ?? unusedHub)
    return PresetDownloader(
        environment: environment,
        options: DownloadOptions(
            maxRetries: maxRetries, retryDelay: 0, timeout: timeout, deadlineAllowance: deadlineAllowance,
            minimumBytesPerSecond: minimumBytesPerSecond),
        progress: progress)
}

/// The `PresetDownloadError` thrown by `body`, or `nil` if it succeeded or threw something else.
func downloadError(_ body: () throws -> Void) -> PresetDownloadError? {
    do {
        try body()
        return nil
    } catch let error as PresetDownloadError {
        return error
    } catch {
        return nil
    }
}

/// Records every progress call.
final class RecordingProgress: DownloadProgressReporter {
    enum Event: Equatable {
        case begin(String, Int, Int?)
        case update(Int)
        case end
    }

    private let log = Mutex<[Event]>([])
    var events: [Event] { log.withLock { $0 } }

    func begin(file: String, completed: Int, total: Int?) { log.withLock { $0.append(.begin(file, completed, total)) } }
    func update(completed: Int) { log.withLock { $0.append(.update(completed)) } }
    func end() { log.withLock { $0.append(.end) } }
}

/// The files under `directory`, relative, sorted; the cache's `.locks` directory (lock files, not
/// content) is left out.
func listFiles(_ directory: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    let base = directory.standardizedFileURL.resolvingSymlinksInPath().path
    var names: [String] = []
    for case let url as URL in enumerator {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        let relative = String(path.dropFirst(base.count + 1))
        if relative.hasPrefix(".locks/") { continue }
        names.append(relative)
    }
    return names.sorted()
}

/// The sha256 a cache sidecar records (its first field).
func recordedDigest(_ sidecar: URL) throws -> String {
    let text = try String(contentsOf: sidecar, encoding: .utf8)
    return text.split(separator: " ").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
}
