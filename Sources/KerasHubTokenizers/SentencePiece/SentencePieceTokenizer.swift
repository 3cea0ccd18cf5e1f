import Foundation

/// A SentencePiece tokenizer (unigram or BPE models such as T5, Llama, Mistral, Gemma), backed by
/// libsentencepiece, matching KerasHub's `SentencePieceTokenizer`.
///
/// ```swift
/// let sp = try SentencePieceTokenizer(modelFile: "tokenizer.model", addBos: true)
/// let ids = sp.tokenize("Hello world")
/// sp.detokenize(ids)  // "Hello world"
/// ```
public struct SentencePieceTokenizer: TokenizerProtocol {
    /// Whether `tokenize` prepends the model's begin-of-sequence id.
    public let addBos: Bool
    /// Whether `tokenize` appends the model's end-of-sequence id.
    public let addEos: Bool
    /// Output length of the batch `tokenize`, or `nil` for ragged output.
    public let sequenceLength: Int?

    /// The serialized model (the bytes of the `.model` file), as saved in presets.
    public let serializedModel: [UInt8]
    private let model: SentencePieceModel
    private let specials: [(String, Int32)]
    /// For a plain unigram model: our Viterbi over its pieces, with current sentencepiece's tie rule.
    private let viterbi: UnigramViterbi?
    /// The model's normalizer, where it can be read from the model (no user-defined pieces, which
    /// sentencepiece matches before normalizing).
    private let normalizer: SentencePieceNormalizer?

    /// Loads the model file (`.model`, KerasHub `vocabulary.spm`) at `path`.
    ///
    /// - Throws: `TokenizerError.invalidSentencePieceModel` when the file is missing or corrupt.
    public init(modelFile path: String, addBos: Bool = false, addEos: Bool = false, sequenceLength: Int? = nil) throws {
        let model = try SentencePieceModel(path: path)
        let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
        try self.init(model: model, serializedModel: bytes, addBos: addBos, addEos: addEos, sequenceLength: sequenceLength)
    }

    /// Loads a serialized model (the bytes of a `.model` file, KerasHub's `proto`).
    ///
    /// - Throws: `TokenizerError.invalidSentencePieceModel` when the bytes are not a valid model.
    public init(modelData: [UInt8], addBos: Bool = false, addEos: Bool = false, sequenceLength: Int? = nil) throws {
        try self.init(model: SentencePieceModel(bytes: modelData), serializedModel: modelData, addBos: addBos,
                      addEos: addEos, sequenceLength: sequenceLength)
    }

    private init(model: SentencePieceModel, serializedModel: [UInt8], addBos: Bool, addEos: Bool, sequenceLength: Int?) throws {
        self.model = model
        self.serializedModel = serializedModel
        self.addBos = addBos
        self.addEos = addEos
        self.sequenceLength = sequenceLength
        var specials: [(String, Int32)] = []
        for id in 0..<Int32(model.vocabularySize) where model.isSpecial(id) {
            if let piece = model.idToPiece(id) { specials.append((piece, id)) }
        }
        self.specials = specials
        let info = SentencePieceModelInfo(bytes: serializedModel)
        normalizer = info.flatMap { $0.pieceTypes.contains(4) ? nil : SentencePieceNormalizer(info: $0) }
        if let info, info.isPlainUnigram, model.unkId >= 0, info.pieceTypes.count == model.vocabularySize {
            let pieces = (0..<Int32(model.vocabularySize)).compactMap { id -> (piece: String, id: Int32, score: Float)? in
                guard info.pieceTypes[Int(id)] == 1, let piece = model.idToPiece(id) else { return nil }
                return (piece, id, model.score(id))
            }
            viterbi = UnigramViterbi(pieces: pieces, unknownId: model.unkId)
        } else {
            viterbi = nil
        }
    }

    /// Number of pieces in the model.
    public var vocabularySize: Int { model.vocabularySize }
    /// Begin-of-sequence id, or `nil` when the model has none.
    public var bosTokenId: Int32? { model.bosId >= 0 ? model.bosId : nil }
    /// End-of-sequence id, or `nil` when the model has none.
    public var eosTokenId: Int32? { model.eosId >= 0 ? model.eosId : nil }
    /// Unknown-piece id, or `nil` when the model has none.
    public var unkTokenId: Int32? { model.unkId >= 0 ? model.unkId : nil }
    /// Padding id, or `nil` when the model has none.
    public var padTokenId: Int32? { model.padId >= 0 ? model.padId : nil }
    /// The model's unknown and control pieces (for example `<unk>`, `<s>`, `</s>`).
    public var specialTokens: [String] { specials.map(\.0) }
    /// The ids of `specialTokens`.
    public var specialTokenIds: [Int32] { specials.map(\.1) }

    /// Encodes `text` to ids, adding begin/end-of-sequence ids when configured. A unigram model's
    /// ties are broken as current sentencepiece (0.2) breaks them (``UnigramViterbi``).
    public func tokenize(_ text: String) -> [Int32] {
        var ids: [Int32]
        if let viterbi, let normalizer {
            ids = normalizer.normalizedBytes(text).withUnsafeBufferPointer { viterbi.encode(normalizedBytes: $0) }
        } else if let viterbi {
            ids = viterbi.encode(normalized(text))
        } else {
            ids = model.encode(text) ?? []
        }
        if addBos, let bos = bosTokenId { ids.insert(bos, at: 0) }
        if addEos, let eos = eosTokenId { ids.append(eos) }
        return ids
    }

    /// Encodes `text` to pieces (no begin/end-of-sequence pieces); an unknown piece is the text it covers.
    public func tokenizeToPieces(_ text: String) -> [String] {
        guard let viterbi else { return model.encodePieces(text) ?? [] }
        return viterbi.segments(normalized(text)).map { String($0.surface) }
    }

    /// Decodes ids to text with the library (control pieces are dropped).
    public func detokenize(_ ids: [Int32]) -> String {
        let valid = ids.filter { $0 >= 0 && Int($0) < model.vocabularySize }
        return model.decode(valid) ?? ""
    }

    /// The piece for `id`, or `nil` when out of range.
    public func idToToken(_ id: Int32) -> String? { model.idToPiece(id) }

    /// The id of `piece`, or `nil` when it is not in the model.
    public func tokenToId(_ token: String) -> Int32? {
        let id = model.pieceToId(token)
        if id < 0 { return nil }
        if id == model.unkId, model.idToPiece(id) != token { return nil }
        return id
    }

    /// The model's text after its normalizer, with `▁` for spaces and the leading `▁` it adds
    /// (``SentencePieceNormalizer`` over the model's rules; for a model with user-defined pieces, the
    /// concatenation of the pieces libsentencepiece encodes `text` to).
    package func normalized(_ text: String) -> String {
        normalizer?.normalize(text) ?? (model.encodePieces(text) ?? []).joined()
    }

    /// Whether ``normalized(_:)`` reads the model's rules itself (else it joins libsentencepiece's pieces).
    package var readsNormalizerRules: Bool { normalizer != nil }

    /// Every piece with its id and score, for a ``UnigramViterbi`` over the model.
    package var scoredPieces: [(piece: String, id: Int32, score: Float)] {
        (0..<Int32(model.vocabularySize)).compactMap { id in model.idToPiece(id).map { ($0, id, model.score(id)) } }
    }
}
