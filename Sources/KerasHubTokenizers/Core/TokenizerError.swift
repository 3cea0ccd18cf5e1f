/// Errors raised while building a tokenizer from vocabulary files or model data.
///
/// Each case says where the problem is (file, line, token) so a bad asset can be fixed quickly.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file could not be read.
    case fileNotReadable(path: String, reason: String)
    /// The same token appears twice in a vocabulary (`line` is 1-based when known).
    case duplicateToken(token: String, line: Int?)
    /// A vocabulary line is empty or otherwise unusable (`line` is 1-based).
    case malformedVocabularyLine(line: Int, reason: String)
    /// A vocabulary holds no tokens.
    case emptyVocabulary
    /// A configured special token (or the out-of-vocabulary token) is not in the vocabulary.
    case missingSpecialToken(String)
    /// A BPE `vocabulary.json` is not a JSON object from token strings to integer ids.
    case malformedVocabularyJSON(reason: String)
    /// A BPE vocabulary gives a token a negative id or one at or beyond `limit`.
    case tokenIdOutOfRange(token: String, id: Int, limit: Int)
    /// A BPE vocabulary maps two tokens to the same id.
    case duplicateTokenId(id: Int, tokens: [String])
    /// A `merges.txt` line is not two space-separated symbols (`line` is 1-based in the file).
    case malformedMergesLine(line: Int, text: String)
    /// A `merges.txt` line names a symbol (or produces a token) missing from the vocabulary.
    case unknownMergeSymbol(line: Int, symbol: String)
    /// A SentencePiece model could not be loaded (corrupt or unreadable); `reason` is the library's message.
    case invalidSentencePieceModel(reason: String)
    /// A SentencePiece operation failed at run time.
    case sentencePieceFailure(reason: String)

    /// A human-readable description naming the location of the problem.
    public var description: String {
        switch self {
        case let .fileNotReadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .duplicateToken(token, line):
            let at = line.map { " at line \($0)" } ?? ""
            return "duplicate token \(String(reflecting: token)) in vocabulary\(at)"
        case let .malformedVocabularyLine(line, reason):
            return "malformed vocabulary line \(line): \(reason)"
        case .emptyVocabulary:
            return "the vocabulary is empty"
        case let .missingSpecialToken(token):
            return "special token \(String(reflecting: token)) is not in the vocabulary"
        case let .malformedVocabularyJSON(reason):
            return "malformed vocabulary.json: \(reason)"
        case let .tokenIdOutOfRange(token, id, limit):
            return "vocabulary gives \(String(reflecting: token)) the id \(id), outside 0..<\(limit)"
        case let .duplicateTokenId(id, tokens):
            return "vocabulary.json maps several tokens to id \(id): \(tokens)"
        case let .malformedMergesLine(line, text):
            return "malformed merges line \(line): \(String(reflecting: text)) (expected two space-separated symbols)"
        case let .unknownMergeSymbol(line, symbol):
            return "merges line \(line) references \(String(reflecting: symbol)), which is not in the vocabulary"
        case let .invalidSentencePieceModel(reason):
            return "invalid SentencePiece model: \(reason)"
        case let .sentencePieceFailure(reason):
            return "SentencePiece failure: \(reason)"
        }
    }
}
