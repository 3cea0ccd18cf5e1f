/// GPT-2's reversible map between bytes and printable Unicode scalars (`bytes_to_unicode`).
enum ByteLevelAlphabet {
    /// The scalar standing for each byte value.
    static let scalarForByte: [UInt32] = {
        var printable: [Int] = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var scalars = printable.map { UInt32($0) }
        var extra: UInt32 = 0
        for b in 0..<256 where !printable.contains(b) {
            printable.append(b)
            scalars.append(256 + extra)
            extra += 1
        }
        var table = [UInt32](repeating: 0, count: 256)
        for (b, s) in zip(printable, scalars) { table[b] = s }
        return table
    }()

    /// The byte each byte-level scalar stands for.
    static let byteForScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, s) in scalarForByte.enumerated() { map[s] = UInt8(b) }
        return map
    }()

    /// The byte-level string for raw bytes (how tokens are spelled in `vocabulary.json`).
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = String.UnicodeScalarView()
        for b in bytes {
            if let scalar = Unicode.Scalar(scalarForByte[Int(b)]) { s.append(scalar) }
        }
        return String(s)
    }

    /// The raw bytes a vocabulary token stands for; scalars outside the alphabet keep their UTF-8 bytes.
    static func decode(_ token: String) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in token.unicodeScalars {
            if let b = byteForScalar[scalar.value] {
                out.append(b)
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }
}
