/// Finds literal occurrences of special tokens in UTF-8 text (leftmost, then longest match).
package struct SpecialTokenSplitter: Sendable {
    /// One piece of the input: either plain text bytes or a matched special token id.
    enum Piece {
        case text(Range<Int>)
        case special(Int32)
    }

    private let tokens: [(bytes: [UInt8], id: Int32)]
    private let firstBytes: [Bool]

    /// Creates a splitter for `tokens` (token string, id). Empty tokens are ignored.
    package init(_ tokens: [(String, Int32)]) {
        let list = tokens
            .map { (bytes: Array($0.0.utf8), id: $0.1) }
            .filter { !$0.bytes.isEmpty }
            .sorted { $0.bytes.count > $1.bytes.count }
        var first = [Bool](repeating: false, count: 256)
        for t in list { first[Int(t.bytes[0])] = true }
        self.tokens = list
        self.firstBytes = first
    }

    /// Whether there is nothing to split on.
    var isEmpty: Bool { tokens.isEmpty }

    /// Calls `body` for each piece of `bytes` in order.
    @inline(__always)
    func split(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Piece) -> Void) {
        guard !tokens.isEmpty, let base = bytes.baseAddress else {
            body(.text(0..<bytes.count))
            return
        }
        var textStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            if firstBytes[Int(bytes[i])] {
                var matched: (Int, Int32)?
                for t in tokens where t.bytes.count <= n - i {
                    let ok = t.bytes.withUnsafeBufferPointer { tb in
                        tb.baseAddress.map { memcmpEqual($0, base + i, tb.count) } ?? false
                    }
                    if ok { matched = (t.bytes.count, t.id); break }
                }
                if let (length, id) = matched {
                    if textStart < i { body(.text(textStart..<i)) }
                    body(.special(id))
                    i += length
                    textStart = i
                    continue
                }
            }
            i += 1
        }
        if textStart < n { body(.text(textStart..<n)) }
    }

    /// A piece of a string: text between special tokens, or a matched special token's id.
    package enum StringPiece: Equatable {
        /// Plain text.
        case text(String)
        /// A special token.
        case special(Int32)
    }

    /// `text` split at every literal occurrence of a special token (leftmost, then longest).
    package func split(_ text: String) -> [StringPiece] {
        var bytes = Array(text.utf8)
        var pieces: [StringPiece] = []
        bytes.withUnsafeMutableBufferPointer { buffer in
            let view = UnsafeBufferPointer(buffer)
            split(view) { piece in
                switch piece {
                case .text(let range): pieces.append(.text(String(decoding: view[range], as: UTF8.self)))
                case .special(let id): pieces.append(.special(id))
                }
            }
        }
        return pieces
    }
}
