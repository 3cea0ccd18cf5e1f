// WordPiece encode and decode on arbitrary bytes (BERT's uncased vocabulary). The first byte picks
// the options; the rest is the text (invalid UTF-8 is replaced) and, read as little-endian Int32s,
// ids to decode.
import Foundation
import KerasHubTokenizers

private let vocabulary: [String] = {
    let path = FuzzEnvironment.path("Tests/KerasHubTokenizersTests/Fixtures/bert_base_uncased_vocab.txt")
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}()

private let tokenizers: [WordPieceTokenizer] = {
    let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    var result: [WordPieceTokenizer] = []
    for options in 0..<8 {
        do {
            result.append(try WordPieceTokenizer(
                vocabulary: vocabulary, lowercase: options & 1 != 0, split: true, splitOnCJK: options & 2 != 0,
                specialTokens: specials, specialTokensInStrings: options & 4 != 0, maxInputCharsPerWord: 20,
                sequenceLength: options & 4 != 0 ? 16 : nil))
        } catch {
            fatalError("fixture vocabulary does not load: \(error)")
        }
    }
    return result
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWordPiece(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    guard let options = data.first else { return 0 }
    let tokenizer = tokenizers[Int(options) % tokenizers.count]
    let body = Data(data.dropFirst())
    let text = String(decoding: body, as: UTF8.self)
    fuzzTokenizerContract(tokenizer, text: text, body: body)
    return 0
}
