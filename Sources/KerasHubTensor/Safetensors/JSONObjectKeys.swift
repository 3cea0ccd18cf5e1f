/// The keys of a JSON object's top level, read without building the object: what `JSONDecoder`
/// hides when it keeps one of two equal keys. A safetensors header that names a tensor twice is
/// ambiguous (the reference refuses such files); a duplicate that `JSONDecoder` silently drops
/// could swap one tensor's bytes for another's.
enum JSONObjectKeys {
    /// The first key that occurs twice at the top level of the object in `bytes` (keys compared
    /// after unescaping, so `"a"` and `"\u0061"` are the same), or `nil` when there is none or the
    /// bytes are not a well-formed object (the JSON decoder then reports what is wrong).
    static func firstDuplicate(in bytes: UnsafeRawBufferPointer) -> String? {
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var seen = Set<[UInt8]>()
        scanner.skipWhitespace()
        if scanner.consume(UInt8(ascii: "}")) { return nil }
        while true {
            scanner.skipWhitespace()
            guard let key = scanner.string() else { return nil }
            if !seen.insert(key).inserted { return String(decoding: key, as: UTF8.self) }
            scanner.skipWhitespace()
            guard scanner.consume(UInt8(ascii: ":")), scanner.skipValue() else { return nil }
            scanner.skipWhitespace()
            if scanner.consume(UInt8(ascii: ",")) { continue }
            return nil
        }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// A string's unescaped UTF-8 bytes; `nil` when malformed.
        mutating func string() -> [UInt8]? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            var pendingHigh: UInt32?
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return pendingHigh == nil ? out : nil
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { return nil }
                    let escape = bytes[position]
                    position += 1
                    if escape == UInt8(ascii: "u") {
                        guard position + 4 <= bytes.count,
                              let unit = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + 4]), as: UTF8.self), radix: 16)
                        else { return nil }
                        position += 4
                        if let high = pendingHigh {
                            guard (0xDC00...0xDFFF).contains(unit) else { return nil }
                            pendingHigh = nil
                            append(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), to: &out)
                        } else if (0xD800...0xDBFF).contains(unit) {
                            pendingHigh = unit
                        } else if (0xDC00...0xDFFF).contains(unit) {
                            return nil
                        } else {
                            append(unit, to: &out)
                        }
                        continue
                    }
                    guard pendingHigh == nil else { return nil }
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    default: return nil
                    }
                default:
                    guard pendingHigh == nil else { return nil }
                    out.append(byte)
                }
            }
            return nil
        }

        private func append(_ value: UInt32, to out: inout [UInt8]) {
            guard let scalar = Unicode.Scalar(value) else { return }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }

        /// Skips one value: a string, a nested object or array (brackets counted, strings skipped),
        /// or a literal or number; `false` when malformed.
        mutating func skipValue() -> Bool {
            skipWhitespace()
            guard position < bytes.count else { return false }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while position < bytes.count {
                    switch bytes[position] {
                    case UInt8(ascii: "\""):
                        guard string() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { position += 1; return true }
                    default: break
                    }
                    position += 1
                }
                return false
            default:
                let start = position
                while position < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
                    position += 1
                }
                return position > start
            }
        }
    }
}
