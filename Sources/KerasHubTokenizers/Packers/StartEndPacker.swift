/// Adds start and end values to a token sequence and pads it to a fixed length, as KerasHub's
/// `StartEndPacker`: the input is first truncated so the start and end values fit, then they are
/// added, then the result is padded with `padValue` on `paddingSide`.
///
/// ```swift
/// let packer = StartEndPacker(sequenceLength: 7, startValue: [1], endValue: [2])
/// packer.pack([5, 6, 7]).tokenIds  // [1, 5, 6, 7, 2, 0, 0]
/// ```
public struct StartEndPacker: Sendable, Equatable {
    /// The output length.
    public var sequenceLength: Int
    /// Ids placed at the start (empty for none).
    public var startValue: [Int32]
    /// Ids placed at the end (empty for none).
    public var endValue: [Int32]
    /// Id used for padding.
    public var padValue: Int32
    /// Side that receives padding.
    public var paddingSide: PaddingSide

    /// Creates a packer.
    public init(sequenceLength: Int, startValue: [Int32] = [], endValue: [Int32] = [], padValue: Int32 = 0,
                paddingSide: PaddingSide = .right) {
        self.sequenceLength = sequenceLength
        self.startValue = startValue
        self.endValue = endValue
        self.padValue = padValue
        self.paddingSide = paddingSide
    }

    /// Packs one sequence. `sequenceLength` overrides the packer's length for this call;
    /// `addStartValue` / `addEndValue` turn the delimiters off for this call.
    public func pack(_ ids: [Int32], sequenceLength: Int? = nil, addStartValue: Bool = true,
                     addEndValue: Bool = true) -> PackedSequence {
        let length = sequenceLength ?? self.sequenceLength
        var truncation = length
        if addStartValue { truncation -= startValue.count }
        if addEndValue { truncation -= endValue.count }
        // Python slice semantics of `x[..., :truncation]`: a negative bound counts from the end.
        let keep = truncation >= 0 ? min(ids.count, truncation) : max(0, ids.count + truncation)
        var tokens: [Int32] = []
        tokens.reserveCapacity(length)
        if addStartValue { tokens += startValue }
        tokens += ids.prefix(keep)
        if addEndValue { tokens += endValue }
        return PackedSequence.fit(tokens: tokens, segments: [Int32](repeating: 0, count: tokens.count),
                                  length: length, padValue: padValue, side: paddingSide)
    }

    /// Packs a batch (in parallel).
    public func packBatch(_ batch: [[Int32]], sequenceLength: Int? = nil, addStartValue: Bool = true,
                     addEndValue: Bool = true) -> [PackedSequence] {
        parallelMap(batch) {
            self.pack($0, sequenceLength: sequenceLength, addStartValue: addStartValue, addEndValue: addEndValue)
        }
    }
}
