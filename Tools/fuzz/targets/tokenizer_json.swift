// tokenizer.json (KerasHub layout): class name, config options and assets, with small assets of
// every kind next to it; the tokenizer built is run once.
import Foundation
import KerasHubTokenizers
@testable import KerasHubPresets

private let directory: PresetDirectory = {
    let root = FuzzEnvironment.scratch.appendingPathComponent("preset")
    let assets = root.appendingPathComponent("assets/tokenizer")
    try? FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
    try? (TinyAssets.wordPieceVocabulary.joined(separator: "\n") + "\n").write(
        to: assets.appendingPathComponent("vocabulary.txt"), atomically: true, encoding: .utf8)
    try? TinyAssets.bytePairVocabularyJSON.write(to: assets.appendingPathComponent("vocabulary.json"))
    try? ("#version: 0.2\n" + TinyAssets.bytePairMerges.joined(separator: "\n") + "\n").write(
        to: assets.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
    let model = FuzzEnvironment.path("Tests/KerasHubTokenizersTests/Fixtures/botchan_en_unigram_1000.model")
    try? FileManager.default.removeItem(at: assets.appendingPathComponent("vocabulary.spm"))
    try? FileManager.default.copyItem(at: URL(fileURLWithPath: model), to: assets.appendingPathComponent("vocabulary.spm"))
    return PresetDirectory(url: root)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    guard let object = try? KerasHubObject(data: data, file: "fuzz/tokenizer.json") else { return 0 }
    guard let tokenizer = try? TokenizerLoader.load(kerasHub: object, directory: directory) else { return 0 }
    let ids = tokenizer.tokenize("Hello, the world! héllo 你好 [CLS] <|endoftext|>")
    _ = tokenizer.detokenize(ids)
    _ = tokenizer.tokenize(["a", "", "the tests"])
    return 0
}
