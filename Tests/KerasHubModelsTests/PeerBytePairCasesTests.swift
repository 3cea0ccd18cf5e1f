import Testing
import KerasHubModels
import KerasHubTokenizers

/// KerasHub's own tokenizer unit tests with their inline vocabularies, transcribed: small byte-level
/// vocabularies that hold only some of the 256 byte symbols and few of the merge operands, which
/// KerasHub (and transformers) accept.
@Suite struct PeerBytePairCasesTests {
    /// The vocabulary of KerasHub's `gpt2_tokenizer_test.py` / `roberta_tokenizer_test.py` `setUp`:
    /// every merge's operands and result, sorted, then the model's special tokens.
    static let merges = ["Ġ a", "Ġ t", "Ġ i", "Ġ b", "a i", "p l", "n e", "Ġa t", "p o", "r t", "Ġt h", "ai r", "pl a", "po rt",
                         "Ġai r", "Ġa i", "pla ne"]

    static func vocabulary(specials: [String]) -> [String: Int32] {
        var tokens = Set<String>()
        for merge in merges {
            let parts = merge.split(separator: " ").map(String.init)
            tokens.formUnion([parts[0], parts[1], parts[0] + parts[1]])
        }
        // Python sorts by code point; so does Swift's String comparison of these ASCII/Latin tokens.
        let sorted = tokens.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
        return Dictionary(uniqueKeysWithValues: (sorted + specials).enumerated().map { ($1, Int32($0)) })
    }

    /// keras_hub/src/models/gpt2/gpt2_tokenizer_test.py, `test_tokenizer_basics`.
    @Test func kerasHubGPT2TokenizerBasics() throws {
        let tokenizer = try GPT2Tokenizer(vocabulary: Self.vocabulary(specials: ["!", "<|endoftext|>"]), merges: Self.merges)
        #expect(tokenizer.tokenize([" airplane at airport<|endoftext|>", " airplane airport"]) == [[23, 14, 24, 23, 16, 30], [23, 14, 23, 16]])
        #expect(tokenizer.detokenize([23, 14, 24, 23, 16, 30]) == " airplane at airport<|endoftext|>")
        #expect(tokenizer.detokenize([23, 14, 23, 16]) == " airplane airport")
        // test_errors_missing_special_tokens
        #expect(throws: TokenizerError.self) { try GPT2Tokenizer(vocabulary: ["a": 0, "b": 1, "c": 2], merges: []) }
    }

    /// keras_hub/src/models/roberta/roberta_tokenizer_test.py, `test_tokenizer_basics` (KerasHub's
    /// unsplittable tokens: its vocabulary has no `<unk>`).
    @Test func kerasHubRobertaTokenizerBasics() throws {
        let tokenizer = try RobertaTokenizer(
            vocabulary: Self.vocabulary(specials: ["<s>", "<pad>", "</s>", "<mask>"]), merges: Self.merges,
            unsplittableTokens: RobertaTokenizer.kerasHubUnsplittableTokens)
        #expect(tokenizer.tokenize(["<s> airplane at airport</s><pad>", " airplane airport"])
            == [[29, 23, 14, 24, 23, 16, 31, 30], [23, 14, 23, 16]])
        #expect(tokenizer.detokenize([29, 23, 14, 24, 23, 16, 31, 30]) == "<s> airplane at airport</s><pad>")
        #expect(throws: TokenizerError.self) { try RobertaTokenizer(vocabulary: ["a": 0, "b": 1, "c": 2], merges: []) }
    }

    /// keras_hub/src/tokenizers/byte_pair_tokenizer_test.py, `test_tokenize_with_special_tokens`:
    /// a three-token vocabulary, with and without unsplittable tokens.
    @Test func kerasHubBytePairSpecialTokens() throws {
        let vocabulary: [String: Int32] = ["sp": 0, "s": 1, "p": 2]
        let split = try BytePairTokenizer(vocabulary: vocabulary, merges: ["s p"], unsplittableTokens: ["s", "p"])
        #expect(split.tokenize("sp") == [1, 2])
        let whole = try BytePairTokenizer(vocabulary: vocabulary, merges: ["s p"])
        #expect(whole.tokenize("sp") == [0])
    }

    /// A byte the vocabulary has no symbol for is dropped, as transformers' byte-level BPE without an
    /// unknown token drops it; merges through operands the vocabulary lacks still apply.
    @Test func missingSymbolsAreDropped() throws {
        let tokenizer = try BytePairTokenizer(vocabulary: ["butter": 0, "fly": 1], merges: ["b u", "t t", "e r", "bu tt", "butt er", "f l", "fl y"])
        #expect(tokenizer.tokenize("butterfly") == [0, 1])
        #expect(tokenizer.tokenize("butter!fly") == [0, 1])
        #expect(tokenizer.tokenize("€") == [])
        #expect(tokenizer.tokenize(["butterfly", "x", "flyfly"]) == [[0, 1], [], [1, 1]])
    }
}

/// keras_hub/src/models/bert/bert_tokenizer_test.py, transcribed with its inline vocabulary.
@Suite struct PeerBertTokenizerCasesTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "THE", "QUICK", "BROWN", "FOX", "the", "quick", "brown", "fox"]

    @Test func kerasHubBertTokenizerCases() throws {
        let tokenizer = try BertTokenizer(vocabulary: Self.vocabulary)
        #expect(tokenizer.tokenize(["THE QUICK BROWN FOX", "THE FOX"]) == [[5, 6, 7, 8], [5, 8]])  // test_tokenizer_basics
        let lowercase = try BertTokenizer(vocabulary: Self.vocabulary, lowercase: true)
        #expect(lowercase.tokenize(["THE QUICK BROWN FOX", "THE FOX"]) == [[9, 10, 11, 12], [9, 12]])  // test_lowercase
        let special = try BertTokenizer(vocabulary: Self.vocabulary, specialTokensInStrings: true)
        #expect(special.tokenize(["[CLS] THE [MASK] FOX [SEP] [PAD]"]) == [[2, 5, 4, 8, 3, 0]])  // test_tokenizer_special_tokens
        #expect(throws: TokenizerError.self) { try BertTokenizer(vocabulary: ["a", "b", "c"]) }  // test_errors_missing_special_tokens
    }
}

/// keras_hub/src/models/distil_bert/distil_bert_tokenizer_test.py, transcribed with its inline vocabulary.
@Suite struct PeerDistilBertTokenizerCasesTests {
    @Test func kerasHubDistilBertTokenizerCases() throws {
        let vocabulary = PeerBertTokenizerCasesTests.vocabulary
        let tokenizer = try DistilBertTokenizer(vocabulary: vocabulary)
        #expect(tokenizer.tokenize(["THE QUICK BROWN FOX", "THE FOX"]) == [[5, 6, 7, 8], [5, 8]])  // test_tokenizer_basics
        let lowercase = try DistilBertTokenizer(vocabulary: vocabulary, lowercase: true)
        #expect(lowercase.tokenize(["THE QUICK BROWN FOX", "THE FOX"]) == [[9, 10, 11, 12], [9, 12]])  // test_lowercase
        let special = try DistilBertTokenizer(vocabulary: vocabulary, specialTokensInStrings: true)
        #expect(special.tokenize(["[CLS] THE [MASK] FOX [SEP] [PAD]"]) == [[2, 5, 4, 8, 3, 0]])  // test_tokenizer_special_tokens
        #expect(throws: TokenizerError.self) { try DistilBertTokenizer(vocabulary: ["a", "b", "c"]) }  // test_errors_missing_special_tokens
    }
}
