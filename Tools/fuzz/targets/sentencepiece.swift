// SentencePiece (unigram and BPE models, through the C++ shim) encode and decode on arbitrary
// bytes. The first byte picks the model and options; the rest is the text (invalid UTF-8 is
// replaced) and, read as little-endian Int32s, ids to decode.
import Foundation
import KerasHubTokenizers

private let tokenizers: [SentencePieceTokenizer] = {
    let fixtures = FuzzEnvironment.path("Tests/KerasHubTokenizersTests/Fixtures/")
    var result: [SentencePieceTokenizer] = []
    for model in ["botchan_en_unigram_1000.model", "botchan_en_bpe_1000.model"] {
        for options in 0..<2 {
            do {
                result.append(try SentencePieceTokenizer(
                    modelFile: fixtures + model, addBos: options != 0, addEos: options != 0, sequenceLength: options != 0 ? 16 : nil))
            } catch {
                fatalError("fixture model does not load: \(error)")
            }
        }
    }
    return result
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSentencePiece(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    guard let options = data.first else { return 0 }
    let tokenizer = tokenizers[Int(options) % tokenizers.count]
    let body = Data(data.dropFirst())
    let text = String(decoding: body, as: UTF8.self)
    fuzzTokenizerContract(tokenizer, text: text, body: body)
    _ = tokenizer.tokenizeToPieces(text)
    return 0
}
