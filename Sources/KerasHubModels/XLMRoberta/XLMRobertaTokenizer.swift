import Foundation
import KerasHubTokenizers

/// XLM-RoBERTa's SentencePiece tokenizer, as KerasHub's `XLMRobertaTokenizer` and transformers'
/// `XLMRobertaTokenizer`: a SentencePiece model whose ids are shifted into fairseq's vocabulary
/// (`<s>` 0, `<pad>` 1, `</s>` 2, `<unk>` 3, then piece `i` of the model at `i + 1`, and `<mask>`
/// last), so the vocabulary has the model's size plus two.
///
/// Text is read the way the library that wrote the preset reads it (``TextHandling``): transformers
/// matches the five special tokens in the text and splits it on Unicode white space before each word
/// is encoded with a `▁` prefix; KerasHub hands the whole text to SentencePiece. Either way the
/// segmentation follows current sentencepiece's unigram rule (``UnigramViterbi``).
public struct XLMRobertaTokenizer: TokenizerProtocol {
    /// How raw text reaches the SentencePiece model.
    public enum TextHandling: String, Sendable, Equatable {
        /// transformers: special tokens matched in text, then white-space split, each word encoded.
        case transformers
        /// KerasHub: the whole text encoded by SentencePiece.
        case kerasHub
    }

    /// fairseq's special tokens, at ids 0 to 3.
    public static let prefixTokens = ["<s>", "<pad>", "</s>", "<unk>"]
    /// The mask token, the last id.
    public static let maskToken = "<mask>"

    /// The SentencePiece model.
    public let sentencePiece: SentencePieceTokenizer
    /// How raw text reaches the model.
    public let textHandling: TextHandling
    /// Output length of the batch `tokenize`, or `nil` for ragged output.
    public let sequenceLength: Int?
    private let splitter: SpecialTokenSplitter
    private let viterbi: UnigramViterbi

    /// Id of `<s>`.
    public var startTokenId: Int32 { 0 }
    /// Id of `<pad>`.
    public var padTokenId: Int32 { 1 }
    /// Id of `</s>`.
    public var endTokenId: Int32 { 2 }
    /// Id of `<unk>`.
    public var unkTokenId: Int32 { 3 }
    /// Id of `<mask>`: the last id.
    public var maskTokenId: Int32 { Int32(vocabularySize - 1) }

    /// Wraps a SentencePiece model. For transformers its first three pieces must be `<unk>`, `<s>`,
    /// `</s>` (as XLM-RoBERTa's `sentencepiece.bpe.model`); KerasHub takes any model and applies the
    /// same numbering (model id 0 is `<unk>`, 3; id `i` is `i + 1`), whatever the model's own
    /// special pieces are.
    /// - Throws: `TokenizerError.missingSpecialToken` when a transformers model does not have that
    ///   layout, or a KerasHub model has fewer than three pieces.
    public init(sentencePiece: SentencePieceTokenizer, textHandling: TextHandling = .transformers, sequenceLength: Int? = nil) throws {
        guard sentencePiece.vocabularySize >= 3 else {
            throw TokenizerError.missingSpecialToken("<unk>, <s> and </s>: the SentencePiece model has \(sentencePiece.vocabularySize) pieces")
        }
        guard textHandling == .kerasHub || sentencePiece.unkTokenId == 0 else {
            throw TokenizerError.missingSpecialToken("<unk> at id 0 of the SentencePiece model")
        }
        self.sentencePiece = sentencePiece
        self.textHandling = textHandling
        self.sequenceLength = sequenceLength
        let count = Int32(sentencePiece.vocabularySize + 2)
        splitter = SpecialTokenSplitter(
            Self.prefixTokens.enumerated().map { ($0.element, Int32($0.offset)) } + [(Self.maskToken, count - 1)])
        // transformers' vocabulary keeps every piece after the model's first three.
        viterbi = UnigramViterbi(pieces: sentencePiece.scoredPieces.filter { $0.id >= 3 }, unknownId: 0)
    }

    /// Loads the tokenizer from a SentencePiece model file.
    /// - Throws: the errors of ``SentencePieceTokenizer`` naming the file, and those of ``init(sentencePiece:textHandling:sequenceLength:)``.
    public init(modelFile: String, textHandling: TextHandling = .transformers, sequenceLength: Int? = nil) throws {
        try self.init(sentencePiece: SentencePieceTokenizer(modelFile: modelFile), textHandling: textHandling, sequenceLength: sequenceLength)
    }

    /// The model's size plus `<pad>` and `<mask>`.
    public var vocabularySize: Int { sentencePiece.vocabularySize + 2 }
    /// `<s> <pad> </s> <unk> <mask>`.
    public var specialTokens: [String] { Self.prefixTokens + [Self.maskToken] }
    /// Their ids.
    public var specialTokenIds: [Int32] { [0, 1, 2, 3, maskTokenId] }

    /// Token ids of `text`, in fairseq's numbering (no special tokens are added).
    public func tokenize(_ text: String) -> [Int32] {
        switch textHandling {
        case .kerasHub:
            // The whole text through the model as KerasHub's SentencePiece layer encodes it (a
            // unigram model with current sentencepiece's tie rule), then fairseq's numbering.
            return sentencePiece.tokenize(text).map(shifted)
        case .transformers:
            var ids: [Int32] = []
            for piece in splitter.split(text) {
                switch piece {
                case .special(let id): ids.append(id)
                case .text(let chunk):
                    for word in Self.whitespaceWords(chunk) {
                        for part in Self.metaspaceParts(word) { ids += encodeWordPart(part) }
                    }
                }
            }
            return ids
        }
    }

    /// Text of `ids` (special tokens and ids outside the vocabulary are dropped).
    public func detokenize(_ ids: [Int32]) -> String {
        sentencePiece.detokenize(ids.compactMap { id in id > 3 && id < maskTokenId ? id - 1 : nil })
    }

    /// The token of `id`.
    public func idToToken(_ id: Int32) -> String? {
        guard id >= 0, Int(id) < vocabularySize else { return nil }
        if id < 4 { return Self.prefixTokens[Int(id)] }
        if id == maskTokenId { return Self.maskToken }
        return sentencePiece.idToToken(id - 1)
    }

    /// The id of `token`.
    public func tokenToId(_ token: String) -> Int32? {
        if let index = Self.prefixTokens.firstIndex(of: token) { return Int32(index) }
        if token == Self.maskToken { return maskTokenId }
        guard let id = sentencePiece.tokenToId(token), id >= 3 else { return nil }
        return id + 1
    }

    /// One part of a word as transformers' Unigram sees it (`▁` + the part): SentencePiece adds the
    /// `▁` itself, so a part that already starts with one is encoded without it, and a lone `▁` is
    /// the `▁` piece.
    private func encodeWordPart(_ part: Substring.UnicodeScalarView) -> [Int32] {
        var rest = part
        if rest.first == Self.metaspace { rest = rest.dropFirst() }
        if rest.isEmpty { return [sentencePiece.tokenToId(String(Self.metaspace)).map(shifted) ?? unkTokenId] }
        return viterbi.encode(normalized(String(String.UnicodeScalarView(rest)))).map(shifted)
    }

    /// `word` through the model's normalizer as transformers' `Precompiled` normalizer applies it:
    /// grapheme by grapheme, and scalar by scalar within a grapheme of 6 UTF-8 bytes or more (so a
    /// letter under a stack of combining marks is not composed); `▁` first.
    private func normalized(_ word: String) -> String {
        guard word.contains(where: { $0.utf8.count >= 6 }) else { return sentencePiece.normalized(word) }
        var text = String(Self.metaspace)
        func normalize(_ unit: String) {
            var piece = sentencePiece.normalized(unit)
            if piece.unicodeScalars.first == Self.metaspace { piece.unicodeScalars.removeFirst() }
            text += piece
        }
        for grapheme in word {
            if grapheme.utf8.count < 6 {
                normalize(String(grapheme))
            } else {
                for scalar in grapheme.unicodeScalars { normalize(String(scalar)) }
            }
        }
        return text
    }

    /// SentencePiece's space symbol, `▁` (U+2581).
    static let metaspace: Unicode.Scalar = "\u{2581}"

    /// A word split before every `▁` it holds, as transformers' `Metaspace` pre-tokenizer splits
    /// (`split=True`, each `▁` starting a new part).
    static func metaspaceParts(_ word: Substring.UnicodeScalarView) -> [Substring.UnicodeScalarView] {
        var parts: [Substring.UnicodeScalarView] = []
        var start = word.startIndex
        var index = word.startIndex
        while index < word.endIndex {
            if word[index] == metaspace, index > start {
                parts.append(word[start..<index])
                start = index
            }
            index = word.index(after: index)
        }
        if start < word.endIndex { parts.append(word[start..<word.endIndex]) }
        return parts
    }

    /// A model id in fairseq's numbering: the model's `<unk>` (0) is 3, every other id moves up by one.
    private func shifted(_ id: Int32) -> Int32 { id == 0 ? 3 : id + 1 }

    /// The words of `text` between runs of Unicode white space (`White_Space`, as Rust's
    /// `char::is_whitespace`, which the tokenizers library's `WhitespaceSplit` uses).
    static func whitespaceWords(_ text: String) -> [Substring.UnicodeScalarView] {
        text.unicodeScalars.split(whereSeparator: { isWhiteSpace($0) })
    }

    /// Unicode's `White_Space` property.
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

extension TextClassifierPreprocessor.SpecialIds {
    /// XLM-RoBERTa's `<s> a </s></s> b </s>` with `<pad>` and `<mask>`.
    public init(xlmRoberta tokenizer: XLMRobertaTokenizer) {
        self.init(
            start: tokenizer.startTokenId, end: tokenizer.endTokenId, separator: [tokenizer.endTokenId, tokenizer.endTokenId],
            pad: tokenizer.padTokenId, mask: tokenizer.maskTokenId)
    }
}
