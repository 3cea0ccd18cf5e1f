/// Bits of the per-scalar class byte used by BERT normalisation and pre-tokenization.
///
/// The values are produced by `Tools/make_unicode_tables.py` (keep the two in sync).
enum BertCharClass {
    /// Removed by BERT's `clean_text` (control and other `C*` characters, NUL, U+FFFD).
    static let drop: UInt8 = 1
    /// Mapped to a plain space by `clean_text`.
    static let cleanSpace: UInt8 = 2
    /// Split off as its own word by the BERT pre-tokenizer (Unicode `P*` and ASCII symbols).
    static let punctuation: UInt8 = 4
    /// Treated as whitespace by the BERT pre-tokenizer.
    static let preTokenizerSpace: UInt8 = 8
    /// A CJK ideograph, surrounded by spaces by `handle_chinese_chars`.
    static let cjk: UInt8 = 16
    /// Accent stripping (NFD, drop `Mn`) replaces the scalar (see `UnicodeTables.stripMap`).
    static let stripMapped: UInt8 = 32
    /// Lowercasing replaces the scalar (see `UnicodeTables.lowercaseMap`).
    static let lowercaseMapped: UInt8 = 64
    /// Accent stripping removes the scalar entirely (a nonspacing mark).
    static let stripDropped: UInt8 = 128
}

/// GPT-2 pre-tokenizer classes: `\p{L}`, `\p{N}`, `\s` and everything else.
enum GPT2CharClass {
    static let letter: UInt8 = 0
    static let number: UInt8 = 1
    static let space: UInt8 = 2
    static let other: UInt8 = 3
}

/// A two-stage lookup table from Unicode scalar value to a byte, built from range data.
struct ScalarTable: Sendable {
    private let pageIndex: [UInt16]
    private let pages: [UInt8]

    /// Builds the table from lines `first last value` (hex); scalars not covered get `defaultValue`.
    init(rangeData: String, defaultValue: UInt8) {
        var flat = [UInt8](repeating: defaultValue, count: 0x110000)
        for line in rangeData.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3,
                  let first = Int(parts[0], radix: 16),
                  let last = Int(parts[1], radix: 16),
                  let value = UInt8(parts[2], radix: 16),
                  first <= last, last < 0x110000 else { continue }
            for cp in first...last { flat[cp] = value }
        }
        var index = [UInt16](repeating: 0, count: 0x110000 >> 8)
        var pages: [UInt8] = []
        var seen: [[UInt8]: UInt16] = [:]
        for page in 0..<(0x110000 >> 8) {
            let slice = Array(flat[(page << 8)..<((page + 1) << 8)])
            if let existing = seen[slice] {
                index[page] = existing
            } else {
                let id = UInt16(pages.count >> 8)
                seen[slice] = id
                pages.append(contentsOf: slice)
                index[page] = id
            }
        }
        self.pageIndex = index
        self.pages = pages
    }

    /// The byte stored for `scalar` (any value below 0x110000).
    @inline(__always)
    subscript(scalar: UInt32) -> UInt8 {
        let page = Int(pageIndex[Int(scalar >> 8)])
        return pages[(page << 8) | Int(scalar & 0xFF)]
    }
}

/// The process-wide Unicode tables (built once, lazily, on first use).
enum UnicodeTables {
    /// BERT class bits (see `BertCharClass`) per scalar.
    static let bert = ScalarTable(rangeData: bertClassRangeData, defaultValue: 0)
    /// GPT-2 pre-tokenizer class (see `GPT2CharClass`) per scalar.
    static let gpt2 = ScalarTable(rangeData: gpt2ClassRangeData, defaultValue: GPT2CharClass.other)
    /// Accent stripping replacements (NFD with `Mn` removed), for scalars flagged `stripMapped`.
    static let stripMap: [UInt32: [UInt32]] = parseMap(bertStripMapData)
    /// Full lowercase mappings, for scalars flagged `lowercaseMapped`.
    static let lowercaseMap: [UInt32: [UInt32]] = parseMap(bertLowercaseMapData)

    private static func parseMap(_ data: String) -> [UInt32: [UInt32]] {
        var map: [UInt32: [UInt32]] = [:]
        for line in data.split(separator: "\n") {
            let values = line.split(separator: " ").compactMap { UInt32($0, radix: 16) }
            guard let key = values.first else { continue }
            map[key] = Array(values.dropFirst())
        }
        return map
    }
}

/// UTF-8 helpers over raw bytes.
enum UTF8Scan {
    /// Decodes the scalar starting at `i` and returns it with its encoded length.
    /// Input comes from Swift `String`s, so it is valid UTF-8; a stray byte decodes as U+FFFD.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        let n = p.count
        if b0 >= 0xF0, i + 3 < n {
            return (((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12)
                    | ((UInt32(p[i + 2]) & 0x3F) << 6) | (UInt32(p[i + 3]) & 0x3F), 4)
        }
        if b0 >= 0xE0, i + 2 < n {
            return (((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        if b0 >= 0xC0, i + 1 < n {
            return (((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2)
        }
        return (0xFFFD, 1)
    }

    /// Appends the UTF-8 encoding of `scalar` to `out`.
    @inline(__always)
    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

extension String {
    /// Calls `body` with the string's contiguous UTF-8 bytes.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8(body)
    }
}
