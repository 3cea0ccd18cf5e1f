import Foundation

/// The words KerasHub's `WordPieceTokenizer` hands to WordPiece (its tf-text `pretokenize`), which
/// differ from transformers' BERT rules:
/// - accents are stripped first (NFD, then `Mn` removed) when `stripAccents`;
/// - text splits at RE2's `\s` (ASCII `\t \n \f \r` and space only: a no-break or ideographic space
///   stays inside its word) and at control and format characters (`Cc`, `Cf`), which are dropped
///   rather than deleted from the word; punctuation (`P*` and ASCII symbols) and CJK ideographs
///   become words of their own;
/// - each word is then case-folded as ICU's NFKC_Casefold (`tf_text.case_fold_utf8`) when
///   `lowercase`: `①` is `1`, `ＡＢＣ` is `abc`, `ß` is `ss`, default-ignorable characters vanish.
struct KerasHubWordSplitter: Sendable {
    let lowercase: Bool
    let stripAccents: Bool
    let split: Bool
    let splitOnCJK: Bool
    /// The BERT class of every scalar.
    let table = UnicodeTables.bert

    /// The words of `text` (a stretch without special tokens), as UTF-8 bytes.
    func words(_ text: String) -> [[UInt8]] {
        let scalars = stripAccents
            ? Array(text.decomposedStringWithCanonicalMapping.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark })
            : Array(text.unicodeScalars)
        var words: [[UInt8]] = []
        var word = String.UnicodeScalarView()
        func flush() {
            guard !word.isEmpty else { return }
            let folded = lowercase ? Self.caseFolded(String(word)) : String(word)
            if !folded.isEmpty { words.append(Array(folded.utf8)) }
            word.removeAll()
        }
        guard split else {
            word.append(contentsOf: scalars)
            flush()
            return words
        }
        for scalar in scalars {
            if Self.isDelimiter(scalar) {
                flush()
            } else if isolatesAlone(scalar) {
                flush()
                word.append(scalar)
                flush()
            } else {
                word.append(scalar)
            }
        }
        flush()
        return words
    }

    /// RE2's `\s` (`[\t\n\f\r ]`), `\p{Cc}` and `\p{Cf}`.
    static func isDelimiter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0C, 0x0D, 0x20: return true
        default:
            let category = scalar.properties.generalCategory
            return category == .control || category == .format
        }
    }

    /// Whether `scalar` is a word of its own: KerasHub's `PUNCTUATION_REGEX` (ASCII `[!-/]`, `[:-@]`,
    /// `[\[-`]`, `[{-~]` and Unicode `P*`) and `CJK_REGEX`, which are BERT's punctuation and CJK
    /// ranges: the classes of the BERT table the transformers rules use.
    private func isolatesAlone(_ scalar: Unicode.Scalar) -> Bool {
        let classes = table[scalar.value]
        return classes & BertCharClass.punctuation != 0 || (splitOnCJK && classes & BertCharClass.cjk != 0)
    }

    /// NFKC_Casefold: compatibility composition, full case folding, default ignorables removed,
    /// composed again.
    static func caseFolded(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.lowercased() }
        var folded = word.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive], locale: nil)
        folded.unicodeScalars.removeAll { $0.properties.isDefaultIgnorableCodePoint }
        return folded.precomposedStringWithCompatibilityMapping
    }
}
