// Vocabulary and merges parsers. The first byte picks the format; the rest is the file:
//   0: vocab.txt (one token per line) -> WordPieceTokenizer
//   1: vocabulary.json -> BPE vocabulary
//   2: merges.txt, checked against a small byte-level vocabulary -> BytePairTokenizer
//   3: vocabulary.json, a NUL byte, merges.txt -> BytePairTokenizer
import Foundation
@testable import KerasHubTokenizers

private func run(_ tokenizer: some TokenizerProtocol) {
    let ids = tokenizer.tokenize("hello the world, testing ü 你好")
    for id in ids { fuzzRequire(id >= 0 && Int(id) < tokenizer.vocabularySize, "id \(id) outside 0..<\(tokenizer.vocabularySize)") }
    _ = tokenizer.detokenize(ids + [0, 1, -1, Int32.max])
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocab(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    guard let mode = data.first else { return 0 }
    let body = data.dropFirst()
    switch mode % 4 {
    case 0:
        guard let tokens = try? VocabularyFile.tokenPerLine(data: Data(body)) else { return 0 }
        if let tokenizer = try? WordPieceTokenizer(vocabulary: tokens, lowercase: true) { run(tokenizer) }
    case 1:
        _ = try? BytePairFiles.vocabulary(json: Data(body))
    case 2:
        let rules = BytePairFiles.merges(text: String(decoding: body, as: UTF8.self)).map(\.rule)
        if let tokenizer = try? BytePairTokenizer(vocabulary: TinyAssets.bytePairVocabulary, merges: rules) { run(tokenizer) }
    default:
        let parts = body.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let vocabulary = try? BytePairFiles.vocabulary(json: Data(parts[0])) else { return 0 }
        let rules = BytePairFiles.merges(text: String(decoding: parts[1], as: UTF8.self)).map(\.rule)
        if let tokenizer = try? BytePairTokenizer(vocabulary: vocabulary, merges: rules) { run(tokenizer) }
    }
    return 0
}
