import Foundation

/// A byte-level byte-pair-encoding tokenizer (GPT-2, RoBERTa, ...), matching KerasHub's
/// `BytePairTokenizer` and transformers' `GPT2TokenizerFast`.
///
/// Text is split by GPT-2's pre-tokenizer (or not at all, as KerasHub: ``SplitPattern``), each
/// piece's UTF-8 bytes are mapped to the byte-level alphabet and merged by rank. `unsplittableTokens`
/// (such as `<|endoftext|>`) are recognised literally in the input and never split. `detokenize` restores the exact input bytes.
///
/// ```swift
/// let gpt2 = try BytePairTokenizer(vocabularyFile: "vocab.json", mergesFile: "merges.txt",
///                                  unsplittableTokens: ["<|endoftext|>"])
/// gpt2.tokenize("The quick brown fox.")  // [464, 2068, 7586, 21831, 13]
/// ```
public struct BytePairTokenizer: TokenizerProtocol {
    /// How text is split into pieces before merging.
    public enum SplitPattern: String, Sendable, Equatable {
        /// GPT-2's regex, as transformers' GPT-2 and RoBERTa tokenizers split
        /// (`"Hello\n\nHello"` is `Hello`, `\n`, `\n`, `Hello`).
        case gpt2
        /// No split: the text between unsplittable tokens is merged as one piece, as KerasHub 0.32's
        /// `BytePairTokenizer` tokenizes (its default workflow hands Llama 3's split regex to the
        /// tokenizers library's `Split` as a plain string, which matches nothing). Merges then cross
        /// what GPT-2 would split: `"Hello\n\nHello"` is `Hello`, `\n\n`, `Hello`, and `" 2"` one `Ġ2`.
        case wholeText
    }

    /// How text is split into pieces before merging.
    public var splitPattern: SplitPattern { preTokenizer.pattern }
    /// Whether a space is prepended to each piece of input that does not start with one.
    public let addPrefixSpace: Bool
    /// Tokens recognised literally in the input and never split.
    public let unsplittableTokens: [String]
    /// Output length of the batch `tokenize`, or `nil` for ragged output.
    public let sequenceLength: Int?
    /// The number of merge rules.
    public let mergeCount: Int
    /// The merge rules (`"a b"`), highest priority first, as read (saved back to `merges.txt`).
    public let mergeRules: [String]

    private let tokens: [String?]
    private let tokenIds: [String: Int32]
    private let tokenBytes: [[UInt8]]
    private let byteIds: [Int32]
    /// The first id of symbols the vocabulary lacks, or `nil` when every symbol is in it.
    private let firstUnknownId: Int32?
    private let merges: MergeTable
    private let splitter: SpecialTokenSplitter
    private let unsplittableIds: [Int32]
    private let cache = BPECache()
    private let preTokenizer: ByteLevelPreTokenizer

    /// Creates a tokenizer from a vocabulary (byte-level token string -> id) and merge rules
    /// (`"a b"`, highest priority first).
    ///
    /// A vocabulary may lack byte symbols and merge symbols, as KerasHub's and transformers' accept:
    /// merging works on symbols, and a piece that ends as a symbol outside the vocabulary is dropped.
    /// - Throws: `TokenizerError.emptyVocabulary`, `.tokenIdOutOfRange` (a negative id, or one beyond
    ///   three times the token count plus 65,536), `.duplicateTokenId`, `.malformedMergesLine` (with
    ///   the 1-based index of the rule), `.missingSpecialToken` for an unsplittable token missing from
    ///   the vocabulary.
    public init(
        vocabulary: [String: Int32],
        merges: [String],
        sequenceLength: Int? = nil,
        addPrefixSpace: Bool = false,
        unsplittableTokens: [String] = [],
        splitPattern: SplitPattern = .gpt2
    ) throws {
        try self.init(vocabulary: vocabulary, numberedMerges: merges.enumerated().map { ($0.offset + 1, $0.element) },
                      sequenceLength: sequenceLength, addPrefixSpace: addPrefixSpace,
                      unsplittableTokens: unsplittableTokens, splitPattern: splitPattern)
    }

    /// Creates a tokenizer from `vocabulary.json` (or `vocab.json`) and `merges.txt` files.
    ///
    /// - Throws: `TokenizerError.fileNotReadable`, `.malformedVocabularyJSON`, and the errors of
    ///   `init(vocabulary:merges:...)`, with line numbers of `merges.txt`.
    public init(
        vocabularyFile: String,
        mergesFile: String,
        sequenceLength: Int? = nil,
        addPrefixSpace: Bool = false,
        unsplittableTokens: [String] = [],
        splitPattern: SplitPattern = .gpt2
    ) throws {
        let vocabulary = try BytePairFiles.vocabulary(json: VocabularyFile.read(vocabularyFile))
        let mergesText = String(decoding: try VocabularyFile.read(mergesFile), as: UTF8.self)
        try self.init(vocabulary: vocabulary, numberedMerges: BytePairFiles.merges(text: mergesText),
                      sequenceLength: sequenceLength, addPrefixSpace: addPrefixSpace,
                      unsplittableTokens: unsplittableTokens, splitPattern: splitPattern)
    }

    private init(
        vocabulary: [String: Int32],
        numberedMerges: [(line: Int, rule: String)],
        sequenceLength: Int?,
        addPrefixSpace: Bool,
        unsplittableTokens: [String],
        splitPattern: SplitPattern
    ) throws {
        guard let maxId = vocabulary.values.max() else { throw TokenizerError.emptyVocabulary }
        // Ids index a dense table: a negative id would trap, and a huge one would allocate gigabytes.
        let idLimit = Self.idLimit(tokenCount: vocabulary.count)
        if let (token, id) = vocabulary.filter({ $0.value < 0 || Int($0.value) >= idLimit }).min(by: { $0.key < $1.key }) {
            throw TokenizerError.tokenIdOutOfRange(token: token, id: Int(id), limit: idLimit)
        }
        var tokens = [String?](repeating: nil, count: Int(maxId) + 1)
        for (token, id) in vocabulary {
            if let other = tokens[Int(id)] {
                throw TokenizerError.duplicateTokenId(id: Int(id), tokens: [other, token].sorted())
            }
            tokens[Int(id)] = token
        }
        // Merging works on symbols, as KerasHub's and transformers' BPE do: a byte symbol or a merge
        // operand or result the vocabulary lacks gets an id past the vocabulary (`firstUnknownId`…),
        // and a piece that ends as such a symbol is dropped from the output, as transformers' BPE
        // without an unknown token drops it.
        var symbols = vocabulary
        let firstUnknownId = Int32(tokens.count)
        func symbolId(_ symbol: String) -> Int32 {
            if let id = symbols[symbol] { return id }
            let id = firstUnknownId + Int32(symbols.count - vocabulary.count)
            symbols[symbol] = id
            return id
        }
        var byteIds = [Int32](repeating: -1, count: 256)
        for b in 0..<256 { byteIds[b] = symbolId(ByteLevelAlphabet.encode([UInt8(b)])) }
        var table = MergeTable(capacity: numberedMerges.count)
        for (rank, (line, rule)) in numberedMerges.enumerated() {
            let parts = rule.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError.malformedMergesLine(line: line, text: rule)
            }
            let a = String(parts[0]), b = String(parts[1])
            // The symbol table is bounded by the input: at most two new symbols per rule plus 256 bytes.
            table.insert(symbolId(a), symbolId(b), rank: Int32(rank), merged: symbolId(a + b))
        }
        var specials: [(String, Int32)] = []
        for token in unsplittableTokens {
            guard let id = vocabulary[token] else { throw TokenizerError.missingSpecialToken(token) }
            specials.append((token, id))
        }
        self.tokens = tokens
        self.tokenIds = vocabulary
        self.tokenBytes = tokens.map { $0.map(ByteLevelAlphabet.decode) ?? [] }
        self.byteIds = byteIds
        self.firstUnknownId = symbols.count > vocabulary.count ? firstUnknownId : nil
        self.merges = table
        self.mergeCount = numberedMerges.count
        self.mergeRules = numberedMerges.map(\.rule)
        self.splitter = SpecialTokenSplitter(specials)
        self.unsplittableIds = specials.map(\.1)
        self.unsplittableTokens = unsplittableTokens
        self.addPrefixSpace = addPrefixSpace
        self.sequenceLength = sequenceLength
        self.preTokenizer = ByteLevelPreTokenizer(pattern: splitPattern)
    }

    /// The bound on ids of a vocabulary of `tokenCount` tokens: ids may leave gaps (transformers'
    /// added tokens do), but not more unused ids than twice the tokens plus 65,536.
    static func idLimit(tokenCount: Int) -> Int { 3 * tokenCount + 65_536 }

    /// Ids span `0...maxId` of the vocabulary.
    public var vocabularySize: Int { tokens.count }
    /// The unsplittable tokens.
    public var specialTokens: [String] { unsplittableTokens }
    /// The ids of the unsplittable tokens.
    public var specialTokenIds: [Int32] { unsplittableIds }

    /// The byte-level token string for `id`, or `nil` when there is none.
    public func idToToken(_ id: Int32) -> String? {
        guard id >= 0, Int(id) < tokens.count else { return nil }
        return tokens[Int(id)]
    }

    /// The id of a byte-level token string, or `nil`.
    public func tokenToId(_ token: String) -> Int32? { tokenIds[token] }

    /// Splits `text` into BPE ids.
    public func tokenize(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        encode(text, into: &ids) { hash, start, length, ids in
            cache.lookup(hash, start, length, into: &ids)
        } store: { hash, start, length, result in
            cache.insert(hash, start, length, result)
        }
        return ids
    }

    /// Tokenizes a batch across all cores; each worker first consults a private merge cache (no
    /// locking), then the shared one. Outputs are fitted to `sequenceLength` (padding id 0) when it is set.
    public func tokenize(_ texts: [String]) -> [[Int32]] {
        let length = sequenceLength
        return parallelMap(texts, makeState: { FlatPieceCache() }) { local, text in
            var ids: [Int32] = []
            self.encode(text, into: &ids) { hash, start, length, ids in
                if local.lookup(hash, start, length, into: &ids) { return true }
                // Fall back to the shared cache; copy a hit into the private one.
                let mark = ids.count
                guard cache.lookup(hash, start, length, into: &ids) else { return false }
                local.insert(hash, start, length, Array(ids[mark...]))
                return true
            } store: { hash, start, length, result in
                local.insert(hash, start, length, result)
                cache.insert(hash, start, length, result)
            }
            guard let length else { return ids }
            return fitToLength(ids, length, padValue: 0)
        }
    }

    @inline(__always)
    private func encode(
        _ text: String, into ids: inout [Int32],
        lookup: (UInt64, UnsafePointer<UInt8>, Int, inout [Int32]) -> Bool,
        store: (UInt64, UnsafePointer<UInt8>, Int, [Int32]) -> Void
    ) {
        ids.reserveCapacity(text.utf8.count / 3 + 4)
        text.withUTF8Bytes { bytes in
            splitter.split(bytes) { piece in
                switch piece {
                case .special(let id):
                    ids.append(id)
                case .text(let range):
                    // Empty text gets no prefix (transformers' `prepend` leaves an empty string alone).
                    if addPrefixSpace, !range.isEmpty, bytes[range.lowerBound] != UInt8(ascii: " ") {
                        var prefixed: [UInt8] = [UInt8(ascii: " ")]
                        prefixed.append(contentsOf: bytes[range])
                        prefixed.withUnsafeBufferPointer {
                            encodeSegment($0, 0..<$0.count, &ids, lookup: lookup, store: store)
                        }
                    } else {
                        encodeSegment(bytes, range, &ids, lookup: lookup, store: store)
                    }
                }
            }
        }
    }

    @inline(__always)
    private func encodeSegment(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ ids: inout [Int32],
        lookup: (UInt64, UnsafePointer<UInt8>, Int, inout [Int32]) -> Bool,
        store: (UInt64, UnsafePointer<UInt8>, Int, [Int32]) -> Void
    ) {
        guard let base = bytes.baseAddress else { return }
        preTokenizer.split(bytes, range) { piece in
            let length = piece.count
            if length == 1 {
                let id = byteIds[Int(bytes[piece.lowerBound])]
                if let firstUnknownId, id >= firstUnknownId { return }
                ids.append(id)
                return
            }
            let start = base + piece.lowerBound
            let hash = ByteStringTable.hash(start, length)
            if lookup(hash, start, length, &ids) { return }
            var result = bytePairMerge(UnsafeBufferPointer(start: start, count: length))
            if let firstUnknownId { result.removeAll { $0 >= firstUnknownId } }
            store(hash, start, length, result)
            ids.append(contentsOf: result)
        }
    }

    /// Applies merges to one piece: repeatedly the lowest-ranked adjacent pair, leftmost first
    /// (a quadratic scan for short pieces, `LongPieceMerger` for long ones).
    private func bytePairMerge(_ piece: UnsafeBufferPointer<UInt8>) -> [Int32] {
        var symbols = piece.map { byteIds[Int($0)] }
        if symbols.count > 64 {
            var merger = LongPieceMerger(symbols)
            return merger.run(merges)
        }
        while symbols.count > 1 {
            var bestRank = Int32.max
            var bestIndex = -1
            var bestMerged: Int32 = 0
            for j in 0..<(symbols.count - 1) {
                if let (rank, merged) = merges.lookup(symbols[j], symbols[j + 1]), rank < bestRank {
                    bestRank = rank
                    bestIndex = j
                    bestMerged = merged
                }
            }
            if bestIndex < 0 { break }
            symbols[bestIndex] = bestMerged
            symbols.remove(at: bestIndex + 1)
        }
        return symbols
    }

    /// Concatenates the bytes of the tokens and decodes them as UTF-8 (invalid sequences become
    /// U+FFFD, as in transformers). Unknown ids are skipped.
    public func detokenize(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids where id >= 0 && Int(id) < tokenBytes.count {
            bytes.append(contentsOf: tokenBytes[Int(id)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
