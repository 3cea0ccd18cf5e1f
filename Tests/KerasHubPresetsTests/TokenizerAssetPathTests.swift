import Foundation
import KerasHubModels
import KerasHubTokenizers
import Testing
@testable import KerasHubPresets

/// A KerasHub `tokenizer.json` cannot make the loader read a file outside its preset: an `assets`
/// path that climbs out (`../`), is absolute, or holds a backslash or NUL is refused, naming the
/// file and the path (issue: `../../elsewhere/vocabulary.txt` was read, and `detokenize` printed it).
@Suite struct TokenizerAssetPathTests {
    /// A copy of KerasHub's BERT classifier tokenizer with `assets` set to `paths`, beside a readable
    /// `elsewhere/vocabulary.txt` outside the preset.
    static func preset(assets paths: [String]) throws -> (root: URL, preset: URL) {
        let root = try makeTemporaryDirectory("kh-assets")
        let preset = root.appendingPathComponent("preset")
        let source = KerasHubWrittenPresetTests.directory("bert_classifier")
        try FileManager.default.createDirectory(at: preset.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("assets/tokenizer"), to: preset.appendingPathComponent("assets/tokenizer"))
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("assets/tokenizer/vocabulary.txt"), to: elsewhere.appendingPathComponent("vocabulary.txt"))
        var object = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: source.appendingPathComponent("tokenizer.json"))) as? [String: Any])
        object["assets"] = paths
        try JSONSerialization.data(withJSONObject: object).write(to: preset.appendingPathComponent("tokenizer.json"))
        return (root, preset)
    }

    @Test(arguments: ["../elsewhere/vocabulary.txt", "assets/../../elsewhere/vocabulary.txt", "/etc/passwd",
                      "assets\\..\\..\\elsewhere\\vocabulary.txt", "~/vocabulary.txt"])
    func escapingAssetIsRefused(path: String) throws {
        let (root, preset) = try Self.preset(assets: [path])
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try Tokenizer.fromPreset(preset.path)
            Issue.record("\(path) was read")
        } catch let error as PresetError {
            guard case .invalidFile(let file, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(file.hasSuffix("preset/tokenizer.json"))
            #expect(reason.contains(String(reflecting: path)) && reason.contains("inside the preset"), "\(reason)")
        }
    }

    /// The path KerasHub writes still loads.
    @Test func presetRelativeAssetLoads() throws {
        let (root, preset) = try Self.preset(assets: ["assets/tokenizer/vocabulary.txt"])
        defer { try? FileManager.default.removeItem(at: root) }
        let tokenizer = try Tokenizer.fromPreset(preset.path)
        #expect(tokenizer.tokenize("the quick, brown fox!") == [24, 38, 35, 168, 58, 76, 110, 59])
    }

    /// A link inside the preset that points out of it is refused once resolved; a Hugging Face
    /// cache snapshot's links into its own blob store still load.
    @Test func aLinkOutOfThePresetIsRefusedButSnapshotBlobsLoad() throws {
        let (root, preset) = try Self.preset(assets: ["assets/tokenizer/vocabulary.txt"])
        defer { try? FileManager.default.removeItem(at: root) }
        let asset = preset.appendingPathComponent("assets/tokenizer/vocabulary.txt")
        try FileManager.default.removeItem(at: asset)
        try FileManager.default.createSymbolicLink(at: asset, withDestinationURL: root.appendingPathComponent("elsewhere/vocabulary.txt"))
        do {
            _ = try Tokenizer.fromPreset(preset.path)
            Issue.record("a link out of the preset was followed")
        } catch let error as PresetError {
            guard case .invalidFile(_, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("is a link to a file outside the preset directory"), "\(reason)")
        }

        // The same files laid out as ~/.cache/huggingface/hub/models--org--name/{snapshots/abc,blobs}.
        let repository = root.appendingPathComponent("hub/models--org--name")
        let snapshot = repository.appendingPathComponent("snapshots/abc")
        let blobs = repository.appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: snapshot.appendingPathComponent("assets/tokenizer"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("elsewhere/vocabulary.txt"), to: blobs.appendingPathComponent("b1"))
        try FileManager.default.copyItem(at: preset.appendingPathComponent("tokenizer.json"), to: snapshot.appendingPathComponent("tokenizer.json"))
        try FileManager.default.createSymbolicLink(
            atPath: snapshot.appendingPathComponent("assets/tokenizer/vocabulary.txt").path, withDestinationPath: "../../../../blobs/b1")
        let tokenizer = try Tokenizer.fromPreset(snapshot.path)
        #expect(tokenizer.tokenize("the quick, brown fox!") == [24, 38, 35, 168, 58, 76, 110, 59])
    }
}
