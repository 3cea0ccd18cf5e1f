// Small, consistent tokenizer assets for fuzz targets that build tokenizers per execution.
import Foundation
@testable import KerasHubTokenizers

enum TinyAssets {
    /// A WordPiece vocabulary with BERT's special tokens.
    static let wordPieceVocabulary: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "the", "##s", "##ing", ","]
        + (UInt8(ascii: "a")...UInt8(ascii: "z")).flatMap { [String(UnicodeScalar($0)), "##" + String(UnicodeScalar($0))] }

    /// A byte-level BPE vocabulary (every byte symbol, a few merges, GPT-2's end token).
    static let bytePairVocabulary: [String: Int32] = {
        var vocabulary: [String: Int32] = [:]
        for b in 0..<256 { vocabulary[ByteLevelAlphabet.encode([UInt8(b)])] = Int32(b) }
        for token in ["Ġt", "he", "Ġthe", "ll", "llo", "<|endoftext|>"] { vocabulary[token] = Int32(vocabulary.count) }
        return vocabulary
    }()

    /// Merge rules over ``bytePairVocabulary``.
    static let bytePairMerges = ["Ġ t", "h e", "Ġt he", "l l", "ll o"]

    /// The text of `vocabulary.json`.
    static var bytePairVocabularyJSON: Data {
        (try? JSONEncoder().encode(bytePairVocabulary)) ?? Data()
    }
}
