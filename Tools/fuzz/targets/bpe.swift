// Byte-level BPE (GPT-2's vocabulary and merges) encode and decode on arbitrary bytes. The first
// byte picks the options; the rest is the text (invalid UTF-8 is replaced) and, read as
// little-endian Int32s, ids to decode.
import Foundation
import KerasHubTokenizers

private let tokenizers: [BytePairTokenizer] = {
    let fixtures = FuzzEnvironment.path("Tests/KerasHubTokenizersTests/Fixtures/")
    var result: [BytePairTokenizer] = []
    for options in 0..<4 {
        do {
            result.append(try BytePairTokenizer(
                vocabularyFile: fixtures + "gpt2_vocab.json", mergesFile: fixtures + "gpt2_merges.txt",
                sequenceLength: options & 2 != 0 ? 16 : nil, addPrefixSpace: options & 1 != 0,
                unsplittableTokens: options & 2 != 0 ? ["<|endoftext|>"] : []))
        } catch {
            fatalError("fixture vocabulary does not load: \(error)")
        }
    }
    return result
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBytePair(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(start, count)
    guard let options = data.first else { return 0 }
    let tokenizer = tokenizers[Int(options) % tokenizers.count]
    let body = Data(data.dropFirst())
    let text = String(decoding: body, as: UTF8.self)
    let (_, decoded) = fuzzTokenizerContract(tokenizer, text: text, body: body)
    // Byte-level BPE is lossless on valid UTF-8 (the replaced text is valid UTF-8).
    if !tokenizer.addPrefixSpace, tokenizer.specialTokens.isEmpty {
        fuzzRequire(decoded == text, "round trip changed the text")
    }
    return 0
}
