import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `keras-hub-server` executable itself: starts on a free port, answers, and exits 0 on SIGTERM.
@Suite struct ServerProcessTests {
    /// The built executable beside the test bundle.
    static var executable: URL {
        var directory = Bundle.main.bundleURL
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("keras-hub-server").path) {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("keras-hub-server")
    }

    @Test func startsServesAndStopsGracefullyOnSIGTERM() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--preset", Repository.bundledPreset, "--host", "127.0.0.1", "--port", "0", "--max-batch-delay-ms", "2"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The first line names the address it listens on.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        let port = try #require(text.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }, "\(text)")
        #expect(text.contains("listening on http://127.0.0.1:\(port)"))
        let (health, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!)
        let object = try #require(try JSONSerialization.jsonObject(with: health) as? [String: Any])
        #expect(object["status"] as? String == "ok")
        #expect(object["model"] as? String == "all_minilm_l6_v2_en")
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/embeddings")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"input": ["A man is eating food.", "Hi!"]}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["data"] as? [Any])?.count == 2)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
    }

    @Test func refusesAnUnloadablePresetWithExitStatus1() throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--preset", "/nonexistent/preset-dir", "--port", "0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("cannot load preset '/nonexistent/preset-dir'"), "\(message)")
    }
}
