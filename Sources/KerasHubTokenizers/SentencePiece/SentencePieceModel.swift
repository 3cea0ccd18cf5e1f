import CSentencePiece

/// Owns a loaded libsentencepiece model (through the `CSentencePiece` shim).
///
/// The library's encode and decode are `const` and safe to call from several threads at once, so
/// the handle is shared freely; it is released when the last reference goes away.
final class SentencePieceModel: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Loads the model file at `path`.
    init(path: String) throws {
        var out: OpaquePointer?
        let error = csp_load_file(path, &out)
        self.handle = try SentencePieceModel.check(error, out)
    }

    /// Loads a serialized model (the bytes of a `.model` file).
    init(bytes: [UInt8]) throws {
        var out: OpaquePointer?
        let error = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                csp_load_bytes(chars.baseAddress ?? UnsafePointer(emptyCCharPointer), chars.count, &out)
            }
        }
        self.handle = try SentencePieceModel.check(error, out)
    }

    private static func check(_ error: UnsafeMutablePointer<CChar>?, _ out: OpaquePointer?) throws -> OpaquePointer {
        if let error {
            let message = String(cString: error)
            csp_free_string(error)
            throw TokenizerError.invalidSentencePieceModel(reason: message)
        }
        guard let out else { throw TokenizerError.invalidSentencePieceModel(reason: "no model returned") }
        return out
    }

    deinit { csp_free(handle) }

    /// Number of pieces.
    var vocabularySize: Int { Int(csp_vocab_size(handle)) }
    /// Begin-of-sequence id, or -1.
    var bosId: Int32 { csp_bos_id(handle) }
    /// End-of-sequence id, or -1.
    var eosId: Int32 { csp_eos_id(handle) }
    /// Unknown-piece id, or -1.
    var unkId: Int32 { csp_unk_id(handle) }
    /// Padding id, or -1.
    var padId: Int32 { csp_pad_id(handle) }

    /// The score of piece `id`.
    func score(_ id: Int32) -> Float { csp_get_score(handle, id) }

    /// Whether `id` is an unknown, control or unused piece.
    func isSpecial(_ id: Int32) -> Bool { csp_is_special(handle, id) != 0 }

    /// Encodes `text` to ids (`nil` if the library reports a failure).
    func encode(_ text: String) -> [Int32]? {
        text.withUTF8Bytes { bytes -> [Int32]? in
            bytes.withMemoryRebound(to: CChar.self) { chars -> [Int32]? in
                let base = chars.baseAddress ?? UnsafePointer(emptyCCharPointer)
                var capacity = chars.count + 8
                while true {
                    var total: Int64 = 0
                    let ids = [Int32](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                        total = csp_encode_ids(handle, base, chars.count, buffer.baseAddress, capacity)
                        initialized = total < 0 ? 0 : min(Int(total), capacity)
                    }
                    if total < 0 { return nil }
                    if Int(total) <= capacity { return ids }
                    capacity = Int(total)
                }
            }
        }
    }

    /// Encodes `text` to pieces (`nil` if the library reports a failure).
    func encodePieces(_ text: String) -> [String]? {
        text.withUTF8Bytes { bytes -> [String]? in
            bytes.withMemoryRebound(to: CChar.self) { chars -> [String]? in
                var lengths: UnsafeMutablePointer<Int>?
                var count = 0
                guard let joined = csp_encode_pieces(handle, chars.baseAddress ?? UnsafePointer(emptyCCharPointer),
                                                     chars.count, &lengths, &count) else { return nil }
                defer {
                    csp_free_string(joined)
                    csp_free_string(lengths)
                }
                guard let lengths else { return [] }
                var pieces: [String] = []
                pieces.reserveCapacity(count)
                var offset = 0
                for i in 0..<count {
                    let raw = UnsafeRawBufferPointer(start: joined + offset, count: lengths[i])
                    pieces.append(String(decoding: raw, as: UTF8.self))
                    offset += lengths[i]
                }
                return pieces
            }
        }
    }

    /// Decodes ids to text (`nil` if the library reports a failure).
    func decode(_ ids: [Int32]) -> String? {
        ids.withUnsafeBufferPointer { buffer -> String? in
            var length = 0
            guard let text = csp_decode_ids(handle, buffer.baseAddress, buffer.count, &length) else { return nil }
            defer { csp_free_string(text) }
            return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
        }
    }

    /// The id of `piece` (the unknown id when absent).
    func pieceToId(_ piece: String) -> Int32 {
        piece.withUTF8Bytes { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                csp_piece_to_id(handle, $0.baseAddress ?? UnsafePointer(emptyCCharPointer), $0.count)
            }
        }
    }

    /// The piece of `id`, or `nil` when out of range.
    func idToPiece(_ id: Int32) -> String? {
        var length = 0
        guard let piece = csp_id_to_piece(handle, id, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: piece, count: length), as: UTF8.self)
    }
}

/// A valid pointer used as the base address of empty C strings.
nonisolated(unsafe) let emptyCCharPointer: UnsafeMutablePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
}()
