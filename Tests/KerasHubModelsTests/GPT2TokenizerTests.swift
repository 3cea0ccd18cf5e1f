import KerasHubModels
import KerasHubTokenizers
import Testing

/// GPT2Tokenizer on a small inline byte-level vocabulary.
@Suite struct GPT2TokenizerTests {
    /// GPT-2's printable stand-in for each byte, as in `bytes_to_unicode`.
    static func byteSymbols() -> [String] {
        func printable(_ b: Int) -> Bool {
            (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
        }
        var extra: UInt32 = 0
        return (0..<256).map { b -> String in
            if printable(b) { return String(Character(Unicode.Scalar(UInt8(b)))) }
            defer { extra += 1 }
            return Unicode.Scalar(256 + extra).map { String(Character($0)) } ?? "?"
        }
    }

    static func vocabulary() -> [String: Int32] {
        var vocabulary: [String: Int32] = [:]
        for symbol in byteSymbols() { vocabulary[symbol] = Int32(vocabulary.count) }
        for token in ["Ġt", "he", "Ġthe", "Ġf", "ox", "Ġfox", "<|endoftext|>"] {
            vocabulary[token] = Int32(vocabulary.count)
        }
        return vocabulary
    }

    static let merges = ["Ġ t", "h e", "Ġt he", "Ġ f", "o x", "Ġf ox"]

    @Test func endOfTextIsStartEndAndPad() throws {
        let tokenizer = try GPT2Tokenizer(vocabulary: Self.vocabulary(), merges: Self.merges)
        #expect(tokenizer.endOfTextTokenId == 262)
        #expect(tokenizer.startTokenId == 262 && tokenizer.endTokenId == 262 && tokenizer.padTokenId == 262)
        #expect(tokenizer.specialTokens == ["<|endoftext|>"])
    }

    @Test func mergesAndUnsplittableToken() throws {
        let vocabulary = Self.vocabulary()
        let tokenizer = try GPT2Tokenizer(vocabulary: vocabulary, merges: Self.merges)
        let ids = tokenizer.tokenize("a the fox<|endoftext|>")
        #expect(ids == [vocabulary["a"], vocabulary["Ġthe"], vocabulary["Ġfox"], 262].compactMap { $0 })
        #expect(tokenizer.detokenize(ids) == "a the fox<|endoftext|>")
    }

    /// The batch form runs the byte-pair tokenizer's own batch path (per-worker caches), with the
    /// answers of one text at a time and of the byte-pair tokenizer itself.
    @Test func batchTokenizeMatchesSingleTexts() throws {
        let tokenizer = try GPT2Tokenizer(vocabulary: Self.vocabulary(), merges: Self.merges)
        let texts = (0..<40).map { "the cat<|endoftext|> sat \($0) times, the the" }
        #expect(tokenizer.tokenize(texts) == texts.map { tokenizer.tokenize($0) })
        #expect(tokenizer.tokenize(texts) == tokenizer.bytePair.tokenize(texts))
    }

    @Test func missingEndOfTextIsAnError() {
        var vocabulary = Self.vocabulary()
        vocabulary["<|endoftext|>"] = nil
        #expect(throws: TokenizerError.missingSpecialToken("<|endoftext|>")) {
            try GPT2Tokenizer(vocabulary: vocabulary, merges: Self.merges)
        }
    }
}
