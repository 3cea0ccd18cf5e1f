import Foundation

/// Access to files in this target's `Fixtures` resource folder.
enum Fixtures {
    /// The absolute path of the fixture `name`.
    static func path(_ name: String) -> String {
        guard let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            return "Fixtures/\(name)"
        }
        return dir.appendingPathComponent(name).path
    }

    /// The corpus texts, in order.
    static func corpus() throws -> [String] {
        try jsonLines("corpus.jsonl").map { ($0["text"] as? String) ?? "" }
    }

    /// Parses a JSON Lines fixture into objects.
    static func jsonLines(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        return try String(decoding: data, as: UTF8.self)
            .split(separator: "\n")
            .map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                return (object as? [String: Any]) ?? [:]
            }
    }

    /// A golden row: the reference ids and decoded text.
    struct Golden {
        let ids: [Int32]
        let decoded: String
        let pieces: [String]?
    }

    /// The golden rows of `name`.
    static func goldens(_ name: String) throws -> [Golden] {
        try jsonLines(name).map { row in
            Golden(ids: ((row["ids"] as? [NSNumber]) ?? []).map { $0.int32Value },
                   decoded: (row["decoded"] as? String) ?? "",
                   pieces: row["pieces"] as? [String])
        }
    }

    /// A fresh temporary file holding `contents`.
    static func temporaryFile(_ contents: String, name: String = "vocab.txt") throws -> String {
        try temporaryFile(Data(contents.utf8), name: name)
    }

    /// A fresh temporary file holding `data`.
    static func temporaryFile(_ data: Data, name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kh-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}
