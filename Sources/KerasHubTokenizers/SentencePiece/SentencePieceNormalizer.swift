/// SentencePiece's normalizer (`normalizer.cc` of sentencepiece), over the model's own rules: the
/// precompiled charsmap (a darts-clone double-array trie of source strings and a pool of their
/// NUL-terminated replacements) applied longest match first, then the spec's white-space handling
/// (leading, trailing and repeated spaces removed, spaces escaped as `▁`, the dummy `▁` prefix).
///
/// It gives the text libsentencepiece would segment, without segmenting it; every read of the
/// model's tables is bounds-checked, so a corrupt charsmap only makes rules not match.
struct SentencePieceNormalizer: Sendable {
    /// The double array's units.
    private let units: [UInt32]
    /// The replacement strings, each ended by a NUL byte.
    private let pool: [UInt8]
    private let addDummyPrefix: Bool
    private let removeExtraWhitespaces: Bool
    private let escapeWhitespaces: Bool
    private let treatWhitespaceAsSuffix: Bool

    /// The normalizer of a model, or `nil` when its charsmap is malformed (as libsentencepiece then
    /// refuses the model's normalizer).
    init?(info: SentencePieceModelInfo) {
        let blob = info.precompiledCharsmap
        if blob.isEmpty {
            units = []
            pool = []
        } else {
            // <trie size: 4 bytes little-endian><double array><normalized strings>
            guard blob.count > 4 else { return nil }
            let trieSize = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
            guard trieSize <= blob.count - 4 else { return nil }
            var units = [UInt32](repeating: 0, count: trieSize / 4)
            for k in 0..<units.count {
                let o = 4 + 4 * k
                units[k] = UInt32(blob[o]) | UInt32(blob[o + 1]) << 8 | UInt32(blob[o + 2]) << 16 | UInt32(blob[o + 3]) << 24
            }
            self.units = units
            pool = Array(blob[(4 + trieSize)...])
        }
        addDummyPrefix = info.addDummyPrefix
        removeExtraWhitespaces = info.removeExtraWhitespaces
        escapeWhitespaces = info.escapeWhitespaces
        treatWhitespaceAsSuffix = info.treatWhitespaceAsSuffix
    }

    /// `text` normalized, as libsentencepiece's `Normalizer::Normalize`.
    func normalize(_ text: String) -> String { String(decoding: normalizedBytes(text), as: UTF8.self) }

    /// The UTF-8 bytes of `text` normalized.
    func normalizedBytes(_ text: String) -> [UInt8] {
        var input = text
        return input.withUTF8 { normalize($0) }
    }

    private static let spaceSymbol: [UInt8] = [0xE2, 0x96, 0x81]

    /// The normalized bytes of valid UTF-8 `input`.
    func normalize(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = input.count
        var i = 0
        // Leading white space.
        if removeExtraWhitespaces {
            while i < n {
                let (piece, consumed) = prefix(input, i)
                guard piece.count == 1, bytes(of: piece, input).first == 0x20 else { break }
                i += consumed
            }
        }
        guard i < n else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(n * 3)
        let space: [UInt8] = escapeWhitespaces ? Self.spaceSymbol : [0x20]
        if !treatWhitespaceAsSuffix, addDummyPrefix { out += space }
        var isPreviousSpace = removeExtraWhitespaces
        pool.withUnsafeBufferPointer { poolBytes in
            while i < n {
                let (replacement, consumed) = prefix(input, i)
                let piece = replacement.fromPool ? UnsafeBufferPointer(rebasing: poolBytes[replacement.range])
                    : UnsafeBufferPointer(rebasing: input[replacement.range])
                var start = 0
                while isPreviousSpace, start < piece.count, piece[start] == 0x20 { start += 1 }
                if start < piece.count {
                    for k in start..<piece.count {
                        let byte = piece[k]
                        if escapeWhitespaces, byte == 0x20 { out += Self.spaceSymbol } else { out.append(byte) }
                    }
                    isPreviousSpace = piece[piece.count - 1] == 0x20
                }
                i += consumed
                if !removeExtraWhitespaces { isPreviousSpace = false }
            }
        }
        // Trailing white space.
        if removeExtraWhitespaces {
            while out.count >= space.count, Array(out[(out.count - space.count)...]) == space {
                out.removeLast(space.count)
            }
        }
        if treatWhitespaceAsSuffix, addDummyPrefix { out += space }
        return out
    }

    /// Bytes of the pool or of the input.
    private struct Replacement {
        var fromPool: Bool
        var range: Range<Int>
        var count: Int { range.count }
    }

    private func bytes(of replacement: Replacement, _ input: UnsafeBufferPointer<UInt8>) -> ArraySlice<UInt8> {
        replacement.fromPool ? pool[replacement.range] : ArraySlice(input[replacement.range])
    }

    /// The replacement of the longest rule matching at `i` and the input bytes it covers, or the one
    /// UTF-8 character at `i` itself when no rule matches.
    private func prefix(_ input: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Replacement, Int) {
        var longest = 0, value = 0
        if !units.isEmpty {
            // darts-clone's commonPrefixSearch from the root.
            var position = Int(Self.offset(units[0]))
            var k = i
            while k < input.count {
                let label = Int(input[k])
                position ^= label
                guard position < units.count else { break }
                let unit = units[position]
                guard Int(unit & 0x8000_00FF) == label else { break }
                position ^= Int(Self.offset(unit))
                guard position < units.count else { break }
                if (unit >> 8) & 1 == 1 {
                    longest = k + 1 - i
                    value = Int(units[position] & 0x7FFF_FFFF)
                }
                k += 1
            }
        }
        if longest > 0, value < pool.count {
            var end = value
            while end < pool.count, pool[end] != 0 { end += 1 }
            return (Replacement(fromPool: true, range: value..<end), longest)
        }
        let length = min(Self.scalarLength(input[i]), input.count - i)
        return (Replacement(fromPool: false, range: i..<(i + length)), length)
    }

    @inline(__always)
    private static func offset(_ unit: UInt32) -> UInt32 { (unit >> 10) << ((unit & (1 << 9)) >> 6) }

    @inline(__always)
    private static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: 1
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
