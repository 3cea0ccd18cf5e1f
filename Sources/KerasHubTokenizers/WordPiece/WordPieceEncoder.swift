/// The precomputed tables and the hot loop of `WordPieceTokenizer`.
///
/// Works on UTF-8 bytes and Unicode scalars; normalisation and pre-tokenization follow
/// transformers' `BertNormalizer` + `BertPreTokenizer` (clean text, CJK splitting, accent
/// stripping, lowercasing, whitespace and punctuation splitting), scalar by scalar.
struct WordPieceEncoder: Sendable {
    /// What to do with an ASCII byte once normalisation is folded in.
    private enum AsciiAction: UInt8 {
        case word, drop, space, punctuation
    }

    private let wordTable: ByteStringTable
    private let suffixTable: ByteStringTable
    private let asciiAction: [AsciiAction]
    private let asciiByte: [UInt8]
    let oovId: Int32
    private let lowercase: Bool
    private let stripAccents: Bool
    private let split: Bool
    private let splitOnCJK: Bool
    private let cleanText = true
    private let maxInputCharsPerWord: Int
    private let splitter: SpecialTokenSplitter
    /// KerasHub's words (tf-text rules) instead of transformers' BERT rules, when set.
    private let kerasHubWords: KerasHubWordSplitter?
    private let table = UnicodeTables.bert
    private let stripMap = UnicodeTables.stripMap
    private let lowercaseMap = UnicodeTables.lowercaseMap

    init(vocabulary: [String], suffixIndicator: String, oovId: Int32, lowercase: Bool, stripAccents: Bool,
         split: Bool, splitOnCJK: Bool, maxInputCharsPerWord: Int, inStringSpecials: [(String, Int32)],
         kerasHubRules: Bool = false) {
        var words = ByteStringTable(capacity: vocabulary.count)
        var suffixes = ByteStringTable(capacity: vocabulary.count)
        let prefix = Array(suffixIndicator.utf8)
        for (id, token) in vocabulary.enumerated() {
            let bytes = Array(token.utf8)
            words.insert(bytes, value: Int32(id))
            if !prefix.isEmpty, bytes.count > prefix.count, bytes.starts(with: prefix) {
                suffixes.insert(Array(bytes[prefix.count...]), value: Int32(id))
            }
        }
        wordTable = words
        suffixTable = suffixes
        self.oovId = oovId
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        self.split = split
        self.splitOnCJK = splitOnCJK
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.splitter = SpecialTokenSplitter(inStringSpecials)
        self.kerasHubWords = kerasHubRules
            ? KerasHubWordSplitter(lowercase: lowercase, stripAccents: stripAccents, split: split, splitOnCJK: splitOnCJK) : nil

        var actions = [AsciiAction](repeating: .word, count: 128)
        var bytes = [UInt8](repeating: 0, count: 128)
        let table = UnicodeTables.bert
        for b in 0..<128 {
            let c = table[UInt32(b)]
            var lowered = UInt8(b)
            if lowercase, b >= 0x41, b <= 0x5A { lowered = UInt8(b + 32) }
            bytes[b] = lowered
            if c & BertCharClass.drop != 0 {
                actions[b] = .drop
            } else if !split {
                actions[b] = .word
            } else if c & (BertCharClass.cleanSpace | BertCharClass.preTokenizerSpace) != 0 {
                actions[b] = .space
            } else if table[UInt32(lowered)] & BertCharClass.punctuation != 0 {
                actions[b] = .punctuation
            }
        }
        asciiAction = actions
        asciiByte = bytes
    }

    /// Appends the ids of `text` to `ids`.
    func encode(_ text: String, into ids: inout [Int32]) {
        text.withUTF8Bytes { bytes in
            var word: [UInt8] = []
            word.reserveCapacity(64)
            splitter.split(bytes) { piece in
                switch piece {
                case .special(let id):
                    ids.append(id)
                case .text(let range):
                    if let kerasHubWords {
                        // FastWordpiece's limit: a word of more than 100 bytes is the unknown token.
                        for word in kerasHubWords.words(String(decoding: bytes[range], as: UTF8.self)) {
                            if word.count > maxInputCharsPerWord { ids.append(oovId); continue }
                            word.withUnsafeBufferPointer { wordPiece($0, &ids) }
                        }
                    } else {
                        encodeSegment(bytes, range, &word, &ids)
                    }
                }
            }
        }
    }

    private func encodeSegment(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                               _ word: inout [UInt8], _ ids: inout [Int32]) {
        var chars = 0
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                switch asciiAction[Int(b)] {
                case .word:
                    word.append(asciiByte[Int(b)])
                    chars += 1
                case .drop:
                    break
                case .space:
                    flush(&word, &chars, &ids)
                case .punctuation:
                    flush(&word, &chars, &ids)
                    word.append(asciiByte[Int(b)])
                    chars = 1
                    flush(&word, &chars, &ids)
                }
                i += 1
                continue
            }
            let (cp, length) = UTF8Scan.decode(bytes, i)
            i += length
            normalizeScalar(cp, &word, &chars, &ids)
        }
        flush(&word, &chars, &ids)
    }

    /// Normalises one non-ASCII scalar and feeds the result to the pre-tokenizer.
    private func normalizeScalar(_ cp: UInt32, _ word: inout [UInt8], _ chars: inout Int, _ ids: inout [Int32]) {
        let c = table[cp]
        if cleanText {
            if c & BertCharClass.drop != 0 { return }
            if c & BertCharClass.cleanSpace != 0 {
                if split { flush(&word, &chars, &ids) } else { appendScalar(0x20, &word, &chars) }
                return
            }
        }
        let isCJK = splitOnCJK && c & BertCharClass.cjk != 0
        if isCJK, split { flush(&word, &chars, &ids) }
        if stripAccents && c & BertCharClass.stripDropped != 0 { return }
        if stripAccents && c & BertCharClass.stripMapped != 0, let mapped = stripMap[cp] {
            for s in mapped { lowercaseAndPreTokenize(s, &word, &chars, &ids) }
        } else {
            lowercaseAndPreTokenize(cp, &word, &chars, &ids)
        }
        if isCJK, split { flush(&word, &chars, &ids) }
    }

    @inline(__always)
    private func lowercaseAndPreTokenize(_ cp: UInt32, _ word: inout [UInt8], _ chars: inout Int, _ ids: inout [Int32]) {
        if lowercase && table[cp] & BertCharClass.lowercaseMapped != 0,
           let mapped = lowercaseMap[cp] {
            for s in mapped { preTokenize(s, &word, &chars, &ids) }
        } else {
            preTokenize(cp, &word, &chars, &ids)
        }
    }

    @inline(__always)
    private func preTokenize(_ cp: UInt32, _ word: inout [UInt8], _ chars: inout Int, _ ids: inout [Int32]) {
        guard split else { return appendScalar(cp, &word, &chars) }
        let c = table[cp]
        if c & BertCharClass.preTokenizerSpace != 0 {
            flush(&word, &chars, &ids)
        } else if c & BertCharClass.punctuation != 0 {
            flush(&word, &chars, &ids)
            appendScalar(cp, &word, &chars)
            flush(&word, &chars, &ids)
        } else {
            appendScalar(cp, &word, &chars)
        }
    }

    @inline(__always)
    private func appendScalar(_ cp: UInt32, _ word: inout [UInt8], _ chars: inout Int) {
        UTF8Scan.append(cp, to: &word)
        chars += 1
    }

    /// Runs WordPiece on the pending word (if any) and clears it.
    @inline(__always)
    private func flush(_ word: inout [UInt8], _ chars: inout Int, _ ids: inout [Int32]) {
        if word.isEmpty { return }
        if chars > maxInputCharsPerWord {
            ids.append(oovId)
        } else {
            word.withUnsafeBufferPointer { wordPiece($0, &ids) }
        }
        word.removeAll(keepingCapacity: true)
        chars = 0
    }

    /// Greedy longest-match-first WordPiece over one pre-tokenized word.
    private func wordPiece(_ w: UnsafeBufferPointer<UInt8>, _ ids: inout [Int32]) {
        guard let base = w.baseAddress else { return }
        let n = w.count
        if let id = wordTable.lookup(base, n) {
            ids.append(id)
            return
        }
        let mark = ids.count
        var start = 0
        while start < n {
            let table = start == 0 ? wordTable : suffixTable
            var end = min(n, start + table.maxKeyLength)
            var found: Int32?
            while end > start {
                // Only cut at scalar boundaries.
                if end < n, w[end] & 0xC0 == 0x80 { end -= 1; continue }
                if let id = table.lookup(base + start, end - start) { found = id; break }
                end -= 1
            }
            guard let id = found else {
                ids.removeSubrange(mark...)
                ids.append(oovId)
                return
            }
            ids.append(id)
            start = end
        }
    }
}
