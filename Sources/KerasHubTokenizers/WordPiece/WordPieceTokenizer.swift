/// A WordPiece tokenizer (BERT, DistilBERT, MiniLM, ...), matching KerasHub's `WordPieceTokenizer`
/// options and transformers' `BertTokenizerFast` rules.
///
/// Normalisation: control characters are dropped, every whitespace becomes a space, CJK ideographs
/// become their own words (`splitOnCJK`), accents are stripped (NFD, drop `Mn`) when `stripAccents`
/// (which defaults to `lowercase`), and text is lowercased when `lowercase`. Pre-tokenization splits on
/// whitespace and isolates punctuation (every Unicode `P*` plus ASCII symbols). Words longer than
/// `maxInputCharsPerWord` scalars, or that cannot be covered by vocabulary pieces, become `oovToken`.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabularyFile: "vocab.txt", lowercase: true)
/// tokenizer.tokenize("The quick brown fox.")  // [1996, 4248, 2829, 4419, 1012]
/// ```
public struct WordPieceTokenizer: TokenizerProtocol {
    /// Whose rules turn text into words.
    public enum TextHandling: String, Sendable, Equatable {
        /// transformers' `BertNormalizer` and `BertPreTokenizer` (and original BERT's): control
        /// characters deleted, every Unicode space splits, lowercasing before splitting.
        case transformers
        /// KerasHub's tf-text rules (``KerasHubWordSplitter``): ASCII white space and control or format
        /// characters split, punctuation and CJK isolated, then each word case-folded as NFKC_Casefold;
        /// a word over `maxInputCharsPerWord` bytes is `oovToken`.
        case kerasHub
    }

    /// The vocabulary; a token's index is its id.
    public let vocabulary: [String]
    /// Whether input is lowercased.
    public let lowercase: Bool
    /// Whether accents are stripped (NFD, then nonspacing marks removed).
    public let stripAccents: Bool
    /// Whether input is split on whitespace and punctuation before WordPiece.
    public let split: Bool
    /// Whether CJK ideographs are split into single-character words.
    public let splitOnCJK: Bool
    /// The prefix marking word-internal pieces (`"##"`).
    public let suffixIndicator: String
    /// The token used for words that cannot be tokenized.
    public let oovToken: String
    /// Special tokens; when `specialTokensInStrings`, their literal text in the input maps to their id.
    public let specialTokens: [String]
    /// Whether literal special tokens in input strings are recognised.
    public let specialTokensInStrings: Bool
    /// Words with more scalars than this become `oovToken` (100, as in BERT; bytes for KerasHub's rules).
    public let maxInputCharsPerWord: Int
    /// Whose rules turn text into words.
    public let textHandling: TextHandling
    /// Whether `detokenize` removes spaces before punctuation and contractions (transformers' `cleanup`).
    public let cleanUpTokenizationSpaces: Bool
    /// Output length of the batch `tokenize`, or `nil` for ragged output.
    public let sequenceLength: Int?
    /// The ids of `specialTokens`.
    public let specialTokenIds: [Int32]

    private let encoder: WordPieceEncoder
    private let tokenIds: ByteStringTable

    /// Creates a tokenizer from an in-memory vocabulary (index = id).
    ///
    /// - Throws: `TokenizerError.emptyVocabulary`, `.duplicateToken` (with the 1-based line of the
    ///   second occurrence), or `.missingSpecialToken` when `oovToken` or a special token is absent.
    public init(
        vocabulary: [String],
        lowercase: Bool = false,
        stripAccents: Bool? = nil,
        split: Bool = true,
        splitOnCJK: Bool = true,
        suffixIndicator: String = "##",
        oovToken: String = "[UNK]",
        specialTokens: [String] = [],
        specialTokensInStrings: Bool = false,
        maxInputCharsPerWord: Int = 100,
        cleanUpTokenizationSpaces: Bool = true,
        sequenceLength: Int? = nil,
        textHandling: TextHandling = .transformers
    ) throws {
        guard !vocabulary.isEmpty else { throw TokenizerError.emptyVocabulary }
        var table = ByteStringTable(capacity: vocabulary.count)
        for (index, token) in vocabulary.enumerated() {
            if table.insert(Array(token.utf8), value: Int32(index)) != nil {
                throw TokenizerError.duplicateToken(token: token, line: index + 1)
            }
        }
        guard let oovId = table[Array(oovToken.utf8)] else {
            throw TokenizerError.missingSpecialToken(oovToken)
        }
        var specialIds: [Int32] = []
        for token in specialTokens {
            guard let id = table[Array(token.utf8)] else { throw TokenizerError.missingSpecialToken(token) }
            specialIds.append(id)
        }
        self.vocabulary = vocabulary
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
        self.split = split
        self.splitOnCJK = splitOnCJK
        self.suffixIndicator = suffixIndicator
        self.oovToken = oovToken
        self.specialTokens = specialTokens
        self.specialTokensInStrings = specialTokensInStrings
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces
        self.sequenceLength = sequenceLength
        self.textHandling = textHandling
        self.specialTokenIds = specialIds
        self.tokenIds = table
        self.encoder = WordPieceEncoder(
            vocabulary: vocabulary, suffixIndicator: suffixIndicator, oovId: oovId,
            lowercase: lowercase, stripAccents: stripAccents ?? lowercase, split: split,
            splitOnCJK: splitOnCJK, maxInputCharsPerWord: maxInputCharsPerWord,
            inStringSpecials: specialTokensInStrings ? Array(zip(specialTokens, specialIds)) : [],
            kerasHubRules: textHandling == .kerasHub)
    }

    /// Creates a tokenizer from a one-token-per-line file (`vocab.txt`); line n holds id n-1.
    ///
    /// - Throws: `TokenizerError.fileNotReadable`, `.malformedVocabularyLine` for an empty line, and
    ///   every error of `init(vocabulary:...)`.
    public init(
        vocabularyFile path: String,
        lowercase: Bool = false,
        stripAccents: Bool? = nil,
        split: Bool = true,
        splitOnCJK: Bool = true,
        suffixIndicator: String = "##",
        oovToken: String = "[UNK]",
        specialTokens: [String] = [],
        specialTokensInStrings: Bool = false,
        maxInputCharsPerWord: Int = 100,
        cleanUpTokenizationSpaces: Bool = true,
        sequenceLength: Int? = nil,
        textHandling: TextHandling = .transformers
    ) throws {
        try self.init(
            vocabulary: VocabularyFile.tokenPerLine(path), lowercase: lowercase, stripAccents: stripAccents,
            split: split, splitOnCJK: splitOnCJK, suffixIndicator: suffixIndicator, oovToken: oovToken,
            specialTokens: specialTokens, specialTokensInStrings: specialTokensInStrings,
            maxInputCharsPerWord: maxInputCharsPerWord, cleanUpTokenizationSpaces: cleanUpTokenizationSpaces,
            sequenceLength: sequenceLength, textHandling: textHandling)
    }

    /// The id of `oovToken`.
    public var oovTokenId: Int32 { encoder.oovId }

    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    /// Splits `text` into WordPiece ids.
    public func tokenize(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 4 + 4)
        encoder.encode(text, into: &ids)
        return ids
    }

    /// Joins pieces back into text as transformers' WordPiece decoder does: pieces starting with
    /// `suffixIndicator` attach to the previous piece, others are separated by a space; with
    /// `cleanUpTokenizationSpaces`, spaces before `. ? ! ,` and contractions are removed.
    public func detokenize(_ ids: [Int32]) -> String {
        var out = ""
        var first = true
        for id in ids {
            guard let token = idToToken(id) else { continue }
            var piece: String
            if !first {
                // Byte-wise: "##" followed by a combining mark is one `Character`.
                if !suffixIndicator.isEmpty, token.utf8.starts(with: suffixIndicator.utf8) {
                    piece = String(decoding: token.utf8.dropFirst(suffixIndicator.utf8.count), as: UTF8.self)
                } else {
                    piece = " " + token
                }
            } else {
                piece = token
            }
            if cleanUpTokenizationSpaces { piece = WordPieceTokenizer.cleanUp(piece) }
            out += piece
            first = false
        }
        return out
    }

    /// transformers' `cleanup` replacements, applied to one decoded piece.
    static func cleanUp(_ s: String) -> String {
        guard s.contains(" ") else { return s }
        return s.replacingAll(" .", ".")
            .replacingAll(" ?", "?")
            .replacingAll(" !", "!")
            .replacingAll(" ,", ",")
            .replacingAll(" ' ", "'")
            .replacingAll(" n't", "n't")
            .replacingAll(" 'm", "'m")
            .replacingAll(" do not", " don't")
            .replacingAll(" 's", "'s")
            .replacingAll(" 've", "'ve")
            .replacingAll(" 're", "'re")
    }

    /// The token for `id`, or `nil` when out of range.
    public func idToToken(_ id: Int32) -> String? {
        guard id >= 0, Int(id) < vocabulary.count else { return nil }
        return vocabulary[Int(id)]
    }

    /// The id of `token`, or `nil` when it is not in the vocabulary.
    public func tokenToId(_ token: String) -> Int32? {
        tokenIds[Array(token.utf8)]
    }
}

extension String {
    /// Replaces every non-overlapping occurrence of `target` (compared as UTF-8 bytes) with `replacement`.
    func replacingAll(_ target: String, _ replacement: String) -> String {
        let t = Array(target.utf8)
        let s = Array(self.utf8)
        guard !t.isEmpty, s.count >= t.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        var changed = false
        while i < s.count {
            if i + t.count <= s.count, s[i] == t[0], Array(s[i..<(i + t.count)]) == t {
                out.append(contentsOf: replacement.utf8)
                i += t.count
                changed = true
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : self
    }
}
