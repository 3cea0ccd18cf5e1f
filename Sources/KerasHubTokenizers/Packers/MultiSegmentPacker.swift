/// Packs several token segments into one fixed-length input with segment ids, as KerasHub's
/// `MultiSegmentPacker` (BERT's `[CLS] a [SEP] b [SEP]`).
///
/// Segments are first trimmed to fit `sequenceLength` minus the delimiters (`truncate` strategy),
/// then joined as `startValue seg0 sepValue seg1 sepValue ... segN endValue`, then padded.
/// Segment ids are 0 for the start value, `i` for segment `i` and the delimiter after it, and 0 for padding.
///
/// ```swift
/// let packer = MultiSegmentPacker(sequenceLength: 8, startValue: [101], endValue: [102])
/// let packed = packer.pack([[1, 2, 3, 4], [11, 12, 13, 14]])
/// packed.tokenIds    // [101, 1, 2, 3, 102, 11, 12, 102]
/// packed.segmentIds  // [0, 0, 0, 0, 0, 1, 1, 1]
/// ```
public struct MultiSegmentPacker: Sendable, Equatable {
    /// How segments are shortened to fit.
    public enum Truncation: String, Sendable, Codable {
        /// Available room is handed out one token at a time to each segment that still needs some.
        case roundRobin = "round_robin"
        /// Room is filled left to right: earlier segments keep everything they can.
        case waterfall
    }

    /// The output length.
    public var sequenceLength: Int
    /// Ids placed at the start of the packed sequence.
    public var startValue: [Int32]
    /// Ids placed after the last segment.
    public var endValue: [Int32]
    /// Ids placed after every segment but the last.
    public var sepValue: [Int32]
    /// Id used for padding.
    public var padValue: Int32
    /// Truncation strategy.
    public var truncate: Truncation
    /// Side that receives padding.
    public var paddingSide: PaddingSide

    /// Creates a packer. `sepValue` defaults to `endValue`.
    public init(sequenceLength: Int, startValue: [Int32], endValue: [Int32], sepValue: [Int32]? = nil,
                padValue: Int32 = 0, truncate: Truncation = .roundRobin, paddingSide: PaddingSide = .right) {
        self.sequenceLength = sequenceLength
        self.startValue = startValue
        self.endValue = endValue
        self.sepValue = sepValue ?? endValue
        self.padValue = padValue
        self.truncate = truncate
        self.paddingSide = paddingSide
    }

    /// Packs one example made of `segments` (at least one).
    ///
    /// Trimming always uses the packer's `sequenceLength`; a `sequenceLength` argument only changes
    /// the padded output length (as in KerasHub).
    public func pack(_ segments: [[Int32]], sequenceLength: Int? = nil, addStartValue: Bool = true,
                     addEndValue: Bool = true) -> PackedSequence {
        let specials = startValue.count + max(0, segments.count - 1) * sepValue.count + endValue.count
        let budget = max(0, self.sequenceLength - specials)
        let lengths = MultiSegmentPacker.allocate(segments.map(\.count), budget: budget, truncate: truncate)
        var tokens: [Int32] = []
        var segmentIds: [Int32] = []
        tokens.reserveCapacity(self.sequenceLength)
        if addStartValue {
            tokens += startValue
            segmentIds += [Int32](repeating: 0, count: startValue.count)
        }
        for (i, segment) in segments.enumerated() {
            let kept = segment.prefix(lengths[i])
            tokens += kept
            segmentIds += [Int32](repeating: Int32(i), count: kept.count)
            let delimiter: [Int32]
            if i == segments.count - 1 {
                delimiter = addEndValue ? endValue : []
            } else {
                delimiter = sepValue
            }
            tokens += delimiter
            segmentIds += [Int32](repeating: Int32(i), count: delimiter.count)
        }
        return PackedSequence.fit(tokens: tokens, segments: segmentIds, length: sequenceLength ?? self.sequenceLength,
                                  padValue: padValue, side: paddingSide)
    }

    /// Packs a batch of examples (in parallel).
    public func packBatch(_ batch: [[[Int32]]], sequenceLength: Int? = nil, addStartValue: Bool = true,
                     addEndValue: Bool = true) -> [PackedSequence] {
        parallelMap(batch) {
            self.pack($0, sequenceLength: sequenceLength, addStartValue: addStartValue, addEndValue: addEndValue)
        }
    }

    /// How many tokens each segment keeps under `budget` (tf.text's RoundRobinTrimmer / WaterfallTrimmer).
    static func allocate(_ lengths: [Int], budget: Int, truncate: Truncation) -> [Int] {
        if lengths.reduce(0, +) <= budget { return lengths }
        switch truncate {
        case .waterfall:
            var remaining = budget
            return lengths.map { length in
                let take = min(length, remaining)
                remaining -= take
                return take
            }
        case .roundRobin:
            // Every segment gets up to `level` tokens; leftover room goes one each to the earliest
            // segments that are still longer than `level`.
            var level = 0
            while lengths.reduce(0, { $0 + min($1, level + 1) }) <= budget { level += 1 }
            var allocation = lengths.map { min($0, level) }
            var leftover = budget - allocation.reduce(0, +)
            for i in allocation.indices where leftover > 0 && lengths[i] > level {
                allocation[i] += 1
                leftover -= 1
            }
            return allocation
        }
    }
}
