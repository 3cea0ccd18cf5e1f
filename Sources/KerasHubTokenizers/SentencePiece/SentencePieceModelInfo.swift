/// What a serialized SentencePiece `ModelProto` says about how it normalizes and segments, read
/// straight from the protobuf bytes (libsentencepiece does not expose these fields): the model type,
/// byte fallback, each piece's type, and the normalizer's spec.
struct SentencePieceModelInfo: Sendable, Equatable {
    /// `TrainerSpec.model_type`: 1 unigram (the default), 2 BPE, 3 word, 4 char.
    var modelType: Int = 1
    /// `TrainerSpec.byte_fallback`.
    var byteFallback = false
    /// `SentencePiece.type` of each piece in order: 1 normal (the default), 2 unknown, 3 control,
    /// 4 user-defined, 5 unused, 6 byte.
    var pieceTypes: [Int] = []
    /// `TrainerSpec.treat_whitespace_as_suffix`.
    var treatWhitespaceAsSuffix = false
    /// `NormalizerSpec.precompiled_charsmap`: the normalization rules (empty: none).
    var precompiledCharsmap: [UInt8] = []
    /// `NormalizerSpec.add_dummy_prefix`.
    var addDummyPrefix = true
    /// `NormalizerSpec.remove_extra_whitespaces`.
    var removeExtraWhitespaces = true
    /// `NormalizerSpec.escape_whitespaces`.
    var escapeWhitespaces = true

    /// Whether the model is a unigram model segmented by Viterbi alone: no byte fallback and no
    /// user-defined pieces (which sentencepiece matches before the lattice).
    var isPlainUnigram: Bool { modelType == 1 && !byteFallback && !pieceTypes.contains(4) && !pieceTypes.contains(6) }

    /// Reads the fields; `nil` when the bytes are not a well-formed protobuf message.
    init?(bytes: [UInt8]) {
        var reader = ProtobufReader(bytes[...])
        while let (field, wire) = reader.nextKey() {
            switch (field, wire) {
            case (1, 2):
                guard let piece = reader.lengthDelimited() else { return nil }
                var inner = ProtobufReader(piece)
                var type = 1
                while let (pieceField, pieceWire) = inner.nextKey() {
                    if pieceField == 3, pieceWire == 0 {
                        guard let value = inner.varint() else { return nil }
                        type = Int(truncatingIfNeeded: value)
                    } else if !inner.skip(wire: pieceWire) {
                        return nil
                    }
                }
                guard inner.isAtEnd else { return nil }
                pieceTypes.append(type)
            case (2, 2):
                guard let spec = reader.lengthDelimited() else { return nil }
                var inner = ProtobufReader(spec)
                while let (specField, specWire) = inner.nextKey() {
                    if specWire == 0, specField == 3 || specField == 35 || specField == 24 {
                        guard let value = inner.varint() else { return nil }
                        switch specField {
                        case 3: modelType = Int(truncatingIfNeeded: value)
                        case 35: byteFallback = value != 0
                        default: treatWhitespaceAsSuffix = value != 0
                        }
                    } else if !inner.skip(wire: specWire) {
                        return nil
                    }
                }
                guard inner.isAtEnd else { return nil }
            case (3, 2):
                guard let spec = reader.lengthDelimited() else { return nil }
                var inner = ProtobufReader(spec)
                while let (specField, specWire) = inner.nextKey() {
                    if specField == 2, specWire == 2 {
                        guard let map = inner.lengthDelimited() else { return nil }
                        precompiledCharsmap = Array(map)
                    } else if specWire == 0, (3...5).contains(specField) {
                        guard let value = inner.varint() else { return nil }
                        switch specField {
                        case 3: addDummyPrefix = value != 0
                        case 4: removeExtraWhitespaces = value != 0
                        default: escapeWhitespaces = value != 0
                        }
                    } else if !inner.skip(wire: specWire) {
                        return nil
                    }
                }
                guard inner.isAtEnd else { return nil }
            default:
                guard reader.skip(wire: wire) else { return nil }
            }
        }
        guard reader.isAtEnd else { return nil }
    }
}

/// A bounds-checked reader of protobuf wire format.
private struct ProtobufReader {
    private var bytes: ArraySlice<UInt8>
    private var failed = false

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// Whether every byte was consumed without error.
    var isAtEnd: Bool { bytes.isEmpty && !failed }

    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.first {
            bytes = bytes.dropFirst()
            guard shift < 64 else { failed = true; return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        failed = true
        return nil
    }

    /// The next field number and wire type, or `nil` at the end (or on an error).
    mutating func nextKey() -> (Int, Int)? {
        guard !bytes.isEmpty, !failed, let key = varint() else { return nil }
        return (Int(truncatingIfNeeded: key >> 3), Int(key & 7))
    }

    mutating func lengthDelimited() -> ArraySlice<UInt8>? {
        guard let length = varint(), length <= UInt64(bytes.count) else { failed = true; return nil }
        let value = bytes.prefix(Int(length))
        bytes = bytes.dropFirst(Int(length))
        return value
    }

    /// Skips a value of `wire` type; false for an unknown type or a value past the end.
    mutating func skip(wire: Int) -> Bool {
        switch wire {
        case 0: return varint() != nil
        case 1, 5:
            let size = wire == 1 ? 8 : 4
            guard bytes.count >= size else { failed = true; return false }
            bytes = bytes.dropFirst(size)
            return true
        case 2: return lengthDelimited() != nil
        default:
            failed = true
            return false
        }
    }
}
