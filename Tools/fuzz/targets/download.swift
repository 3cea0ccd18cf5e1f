// The download state machine (ResumableDownload with its PartialWriter) on a scripted transport:
// the input decides, attempt by attempt, the status, the headers (lengths, ranges, ETags, the hub's
// X-Linked-Etag/-Size, true or false), the body (the file, another version of it, cut, corrupted,
// from the wrong offset, longer than stated) and how the attempt ends. The promises checked:
// no trap; nothing is promoted but a file whose pinned sha256 matches (when pinned) or, from the
// hub, one whose stated digest matches (so one of the two true versions); nothing under the real
// name after a failure; the partial never grows past the cap.
import Crypto
import Foundation
import Synchronization
@testable import KerasHubPresets

/// The input as a stream of decisions; zeros once it runs out.
final class Script: Sendable {
    private let bytes: [UInt8]
    private let cursor = Mutex(0)

    init(_ data: Data) { bytes = [UInt8](data) }

    func byte() -> UInt8 {
        cursor.withLock { index in
            defer { index += 1 }
            return index < bytes.count ? bytes[index] : 0
        }
    }

    func int(below bound: Int) -> Int { bound <= 1 ? 0 : (Int(byte()) << 8 | Int(byte())) % bound }
}

private func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { FileDigests.hex(digest) }

private func gitBlob(_ data: Data) -> String { FileDigests.gitBlobID(of: data) }

/// A transport whose every answer the script decides.
struct ScriptedTransport: HTTPTransport {
    let script: Script
    let versions: [Data]

    func perform(_ request: TransferRequest, receiver: any TransferReceiver) -> TransportEnd {
        let version = versions[Int(script.byte()) % versions.count]
        let requested = request.headers["Range"].flatMap { Int($0.dropFirst(6).dropLast()) } ?? 0
        let statuses = [200, 206, 206, 200, 404, 416, 500, 503, 403, 204, 301]
        let status = statuses[Int(script.byte()) % statuses.count]
        var start = 0
        switch script.byte() % 4 {
        case 0, 1: start = status == 206 ? min(requested, version.count) : 0
        case 2: start = script.int(below: version.count + 2)
        default: start = requested
        }
        var headers: [String: String] = [:]
        var redirects: [[String: String]] = []
        let flags = script.byte()
        let sha = hex(SHA256.hash(data: version))
        if flags & 1 != 0 { headers["Content-Length"] = "\(flags & 2 != 0 ? max(0, version.count - start) : script.int(below: 5000))" }
        if status == 206 || flags & 4 != 0 {
            let total = flags & 8 != 0 ? "\(version.count)" : (flags & 16 != 0 ? "*" : "\(script.int(below: 5000))")
            headers["Content-Range"] = "bytes \(start)-\(max(start, version.count - 1))/\(total)"
        }
        switch script.byte() % 5 {
        case 0: headers["ETag"] = "\"\(gitBlob(version))\""
        case 1: headers["ETag"] = "\"\(sha)\""
        case 2: headers["ETag"] = "\"\(String(repeating: "ab", count: 20))\""
        case 3: headers["ETag"] = "W/\"v\(script.byte())\""
        default: break
        }
        if flags & 32 != 0 {
            var hop = ["Location": "/cdn"]
            hop["X-Linked-Etag"] = flags & 64 != 0 ? "\"\(sha)\"" : "\"\(String(repeating: "cd", count: 32))\""
            hop["X-Linked-Size"] = flags & 128 != 0 ? "\(version.count)" : "\(script.int(below: 5000))"
            redirects.append(hop)
        }
        guard receiver.receive(head: ResponseHead(status: status, headers: headers, redirects: redirects)) else { return .stopped }
        var body = start <= version.count ? Data(version[start...]) : Data()
        switch script.byte() % 6 {
        case 0: body = body.prefix(script.int(below: body.count + 1))
        case 1: if !body.isEmpty { body[body.startIndex + script.int(below: body.count)] ^= 0x5A }
        case 2: body += Data(repeating: 0x41, count: script.int(below: 3000))
        default: break
        }
        var offset = 0
        while offset < body.count {
            let size = 1 + script.int(below: 1024)
            let chunk = body[(body.startIndex + offset)..<(body.startIndex + min(body.count, offset + size))]
            guard receiver.receive(body: Data(chunk)) else { return .stopped }
            offset += size
        }
        switch script.byte() % 8 {
        case 0: return .failed("scripted drop")
        case 1: return .deadlineExceeded
        default: return .completed
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDownload(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let script = Script(fuzzInput(start, count))
    let size = 1 + script.int(below: 3000)
    let original = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    var changed = original
    changed[changed.count / 2] ^= 0xFF
    let versions = [original, changed, original + Data("tail".utf8)]
    let choices = script.byte()
    let pinnedSHA = choices & 1 != 0 ? hex(SHA256.hash(data: original)) : nil
    let pinnedSize = choices & 2 != 0 ? (choices & 4 != 0 ? original.count : script.int(below: 4000)) : nil
    let isHub = choices & 8 != 0
    let path = choices & 16 != 0 ? "config.json" : "model.safetensors"
    let file = RemoteFile(path: path, sha256: pinnedSHA, size: pinnedSize)

    let directory = FuzzEnvironment.scratch.appendingPathComponent("download", isDirectory: true)
    try? FileManager.default.removeItem(at: directory)
    let target = directory.appendingPathComponent(path)
    let partial = PartialFile(target: target)
    // Sometimes a partial (with or without a validator) is left from an earlier run.
    if choices & 32 != 0 {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? versions[Int(script.byte()) % versions.count].prefix(script.int(below: size + 10)).write(to: partial.url)
        if choices & 64 != 0 { partial.store(validator: "\"\(gitBlob(original))\"") }
    }
    let download = ResumableDownload(
        file: file, url: URL(fileURLWithPath: "/fuzz/\(path)"), partial: partial,
        options: DownloadOptions(maxRetries: 3, retryDelay: 0, timeout: 1),
        progress: nil, transport: ScriptedTransport(script: script, versions: versions), isHub: isHub)
    let cap = DownloadLimits.cap(for: file)
    do {
        try download.run()
        let kept = (try? Data(contentsOf: target)) ?? Data()
        if pinnedSHA != nil { fuzzRequire(kept == original, "a pinned download promoted other bytes") }
        if isHub { fuzzRequire(versions.contains(kept), "a hub download promoted bytes matching no version") }
        if let pinnedSize { fuzzRequire(kept.count == pinnedSize, "a download of the wrong size was promoted") }
        fuzzRequire(kept.count <= cap, "a file over its cap was promoted")
        fuzzRequire(!FileManager.default.fileExists(atPath: partial.url.path), "the partial stayed after a commit")
    } catch is PresetDownloadError {
        fuzzRequire(!FileManager.default.fileExists(atPath: target.path), "a failed download left a file under its real name")
    } catch {
        fuzzRequire(false, "an untyped error: \(error)")
    }
    fuzzRequire(partial.size <= cap, "the partial grew past the cap")
    return 0
}
