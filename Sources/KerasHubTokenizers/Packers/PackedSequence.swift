/// One packed, fixed-length model input.
public struct PackedSequence: Sendable, Equatable {
    /// Token ids, exactly `sequenceLength` long.
    public var tokenIds: [Int32]
    /// `true` where `tokenIds` holds a real token, `false` where it holds padding.
    public var paddingMask: [Bool]
    /// The segment each position came from (0 for the start value and for padding).
    public var segmentIds: [Int32]

    /// Creates a packed sequence from its three parallel arrays.
    public init(tokenIds: [Int32], paddingMask: [Bool], segmentIds: [Int32]) {
        self.tokenIds = tokenIds
        self.paddingMask = paddingMask
        self.segmentIds = segmentIds
    }
}

/// Which side of a sequence padding goes on.
public enum PaddingSide: String, Sendable, Codable {
    /// Pad after the tokens (and truncate from the end).
    case right
    /// Pad before the tokens (and truncate from the start).
    case left
}

extension PackedSequence {
    /// Pads or cuts `tokens` (with their segment ids) to `length` on `side`, as KerasHub's `pad`:
    /// right padding keeps the first `length` tokens, left padding keeps the last ones.
    static func fit(tokens: [Int32], segments: [Int32], length: Int, padValue: Int32, side: PaddingSide) -> PackedSequence {
        let length = max(0, length)
        let kept = min(tokens.count, length)
        let padCount = length - kept
        let padIds = [Int32](repeating: padValue, count: padCount)
        let padSegments = [Int32](repeating: 0, count: padCount)
        switch side {
        case .right:
            return PackedSequence(
                tokenIds: Array(tokens.prefix(kept)) + padIds,
                paddingMask: [Bool](repeating: true, count: kept) + [Bool](repeating: false, count: padCount),
                segmentIds: Array(segments.prefix(kept)) + padSegments)
        case .left:
            return PackedSequence(
                tokenIds: padIds + Array(tokens.suffix(kept)),
                paddingMask: [Bool](repeating: false, count: padCount) + [Bool](repeating: true, count: kept),
                segmentIds: padSegments + Array(segments.suffix(kept)))
        }
    }
}
