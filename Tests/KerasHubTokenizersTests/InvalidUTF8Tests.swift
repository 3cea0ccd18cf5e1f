import Foundation
import Testing
@testable import KerasHubTokenizers

/// Bytes that are not UTF-8 become U+FFFD where they enter (`String(decoding:as:)`, vocabulary
/// files, the CLI's JSON Lines), and each tokenizer then treats U+FFFD as its reference does:
/// BERT's WordPiece drops it (transformers' `_clean_text`), byte-level BPE encodes its three bytes,
/// SentencePiece maps it as any other character. Never a trap.
@Suite struct InvalidUTF8Tests {
    /// "hello", an invalid byte, " wor", a truncated 3-byte sequence, "ld", a lone continuation byte.
    static let bytes: [UInt8] = Array("hello".utf8) + [0xFF] + Array(" wor".utf8) + [0xE2, 0x82] + Array("ld".utf8) + [0x80]
    static let replaced = "hello\u{FFFD} wor\u{FFFD}ld\u{FFFD}"

    @Test func decodingReplacesEveryInvalidSequence() {
        #expect(String(decoding: Self.bytes, as: UTF8.self) == Self.replaced)
    }

    @Test func wordPieceDropsReplacementCharacters() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: Fixtures.path("bert_base_uncased_vocab.txt"), lowercase: true)
        let ids = tokenizer.tokenize(String(decoding: Self.bytes, as: UTF8.self))
        #expect(ids == tokenizer.tokenize("hello world"))
        #expect(!ids.contains(tokenizer.oovTokenId))
    }

    @Test func bytePairEncodesReplacementCharactersLosslessly() throws {
        let tokenizer = try BytePairTokenizer(vocabularyFile: Fixtures.path("gpt2_vocab.json"), mergesFile: Fixtures.path("gpt2_merges.txt"))
        let ids = tokenizer.tokenize(String(decoding: Self.bytes, as: UTF8.self))
        #expect(ids == tokenizer.tokenize(Self.replaced))
        #expect(tokenizer.detokenize(ids) == Self.replaced)
        // Ids whose bytes do not form UTF-8 (half of a multi-byte character) decode with U+FFFD.
        let half = try #require(tokenizer.tokenToId(ByteLevelAlphabet.encode([0xE2])))
        #expect(tokenizer.detokenize([half]) == "\u{FFFD}")
    }

    @Test func sentencePieceTakesReplacementCharacters() throws {
        let tokenizer = try SentencePieceTokenizer(modelFile: Fixtures.path("botchan_en_unigram_1000.model"))
        let ids = tokenizer.tokenize(String(decoding: Self.bytes, as: UTF8.self))
        #expect(ids == tokenizer.tokenize(Self.replaced))
        #expect(!ids.isEmpty && ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
    }

    @Test func vocabularyFilesWithInvalidBytesLoad() throws {
        let tokens = try VocabularyFile.tokenPerLine(data: Data("[UNK]\nab\n".utf8 + [0xFF, 0x0A] + Data("c\u{FFFD}\n".utf8)))
        #expect(tokens == ["[UNK]", "ab", "\u{FFFD}", "c\u{FFFD}"])
        #expect(throws: TokenizerError.malformedVocabularyLine(line: 2, reason: "empty token")) {
            try VocabularyFile.tokenPerLine(data: Data("[UNK]\n\nab\n".utf8))
        }
    }
}
