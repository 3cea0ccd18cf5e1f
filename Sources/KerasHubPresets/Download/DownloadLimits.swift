/// How large a file of each kind may be when nothing states its size, so that a server cannot fill
/// the disk or memory with a file that should be small.
///
/// A stated size (the registry's pin, `X-Linked-Size`, `Content-Length`) is the cap when there is
/// one, never more than the ceiling of the file's kind:
///
/// | kind | ceiling |
/// |---|---|
/// | configuration JSON (`config.json`, `tokenizer_config.json`, `modules.json`, `metadata.json`, …), `SHA256SUMS` | 1 MiB |
/// | weight indexes (`*.index.json`, `model.weights.json`) | 16 MiB |
/// | tokenizer files (`tokenizer.json`, `vocab.json`, `vocabulary.json`, `*.txt`, `*.model`) | 128 MiB |
/// | weights (`*.safetensors`, `*.h5`, `*.bin`) and anything else | 1 TiB |
public enum DownloadLimits {
    /// The ceiling for small configuration files.
    public static let configurationBytes = 1 << 20
    /// The ceiling for weight indexes.
    public static let indexBytes = 16 << 20
    /// The ceiling for tokenizer vocabularies and models.
    public static let tokenizerBytes = 128 << 20
    /// The ceiling for weights and anything not named above.
    public static let weightsBytes = 1 << 40

    /// The ceiling for the repository file at `path`, from its name.
    public static func ceiling(forPath path: String) -> Int {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let lowered = name.lowercased()
        if lowered.hasSuffix(".index.json") || lowered == "model.weights.json" { return indexBytes }
        if ["tokenizer.json", "vocab.json", "vocabulary.json"].contains(lowered)
            || lowered.hasSuffix(".txt") || lowered.hasSuffix(".model") { return tokenizerBytes }
        if lowered.hasSuffix(".json") || lowered == ChecksumList.fileName.lowercased() { return configurationBytes }
        return weightsBytes
    }

    /// The cap for `file`: its pinned size when smaller than its ceiling, else the ceiling.
    static func cap(for file: RemoteFile) -> Int {
        min(file.size ?? Int.max, ceiling(forPath: file.path))
    }

    /// Bytes shown in a message: `1048576` is "1 MiB", `1500` is "1500 bytes".
    static func describe(_ bytes: Int) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
