import Foundation

/// The Python reference environments of the repository (`.venv-kerashub`, `.venv-ref`), which tests
/// that compare against real KerasHub use when present and skip, saying so, when not.
enum ReferenceEnvironment {
    /// `.venv-kerashub/bin/python`, when it exists and imports keras_hub.
    static let kerasHubPython: URL? = {
        let python = Repository.root.appendingPathComponent(".venv-kerashub/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { return nil }
        return (try? run(python, ["-c", "import keras_hub, safetensors"]).status) == 0 ? python : nil
    }()

    /// Why the KerasHub tests are skipped.
    static let kerasHubMissing =
        "needs the KerasHub reference venv (.venv-kerashub with keras-hub, see README 'Reference environments'); skipped"

    /// Runs a process to completion with `KERAS_BACKEND=torch`, returning its status and output.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KERAS_BACKEND"] = "torch"
        environment["TF_CPP_MIN_LOG_LEVEL"] = "3"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// `Tools/check_kerashub_load.py --texts` on a classifier preset we wrote: KerasHub's `predict`
    /// on the texts of `outputs` (through our saved tokenizer and preprocessor) against its logits.
    static func checkKerasHubPredicts(preset: URL, outputs: URL) throws -> (status: Int32, result: String) {
        guard let python = kerasHubPython else { return (-1, kerasHubMissing) }
        let run = try run(python, [
            Repository.root.appendingPathComponent("Tools/check_kerashub_load.py").path, "--preset", preset.path,
            "--task", "classifier", "--texts", outputs.path,
        ])
        let result = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return (run.status, result.isEmpty ? run.stderr.suffix(2000).description : result)
    }

    /// `Tools/check_kerashub_load.py` on a preset we wrote, against a transformers fixture.
    /// - Parameter againstKerasHubConversion: compare with KerasHub's own conversion of the
    ///   transformers fixture rather than transformers' outputs (KerasHub's BERT computes the tanh GELU).
    static func checkKerasHubLoads(
        preset: URL, task: String, fixture: String, againstKerasHubConversion: Bool = false, tolerance: Double = 1e-4
    ) throws -> (status: Int32, result: String) {
        guard let python = kerasHubPython else { return (-1, kerasHubMissing) }
        let fixtureURL = Repository.modelFixture(fixture)
        var arguments = [
            Repository.root.appendingPathComponent("Tools/check_kerashub_load.py").path, "--preset", preset.path, "--task", task,
            "--cases", fixtureURL.appendingPathComponent("cases.json").path,
            "--expected", fixtureURL.appendingPathComponent("expected.safetensors").path, "--tolerance", "\(tolerance)",
        ]
        if againstKerasHubConversion { arguments += ["--reference", "kerashub-conversion", "--transformers", fixtureURL.path] }
        let run = try run(python, arguments)
        let result = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return (run.status, result.isEmpty ? run.stderr.suffix(2000).description : result)
    }
}
