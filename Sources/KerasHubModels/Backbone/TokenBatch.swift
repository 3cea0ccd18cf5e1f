/// A rectangular batch of token sequences, the input of every backbone: `[batchSize, sequenceLength]`
/// token ids with a padding mask and, for BERT, segment ids, all row-major.
public struct TokenBatch: Sendable, Equatable {
    /// The number of sequences.
    public let batchSize: Int
    /// The length every sequence is padded to.
    public let sequenceLength: Int
    /// Token ids, `batchSize * sequenceLength`, row-major.
    public let tokenIds: [Int32]
    /// `true` where a position holds a real token, `false` on padding.
    public let paddingMask: [Bool]
    /// Segment (token type) ids, if given; zeros are assumed otherwise.
    public let segmentIds: [Int32]?

    /// Creates a batch from nested arrays.
    /// - Parameters:
    ///   - tokenIds: one array of ids per sequence; all of the same length.
    ///   - paddingMask: `true` on real tokens; every position is real when `nil`.
    ///   - segmentIds: segment ids (BERT), the shape of `tokenIds`.
    /// - Throws: ``InputError`` for an empty batch, ragged rows, or masks of another shape.
    public init(tokenIds: [[Int32]], paddingMask: [[Bool]]? = nil, segmentIds: [[Int32]]? = nil) throws {
        guard let first = tokenIds.first else { throw InputError.emptyBatch }
        let length = first.count
        guard length > 0 else { throw InputError.emptySequence }
        for (row, ids) in tokenIds.enumerated() where ids.count != length {
            throw InputError.raggedBatch(input: "token_ids", row: row, expected: length, found: ids.count)
        }
        func checked<T>(_ rows: [[T]]?, _ name: String) throws -> [T]? {
            guard let rows else { return nil }
            guard rows.count == tokenIds.count else {
                throw InputError.shapeMismatch(input: name, expected: [tokenIds.count, length], found: [rows.count])
            }
            for (row, values) in rows.enumerated() where values.count != length {
                throw InputError.raggedBatch(input: name, row: row, expected: length, found: values.count)
            }
            return rows.flatMap { $0 }
        }
        batchSize = tokenIds.count
        sequenceLength = length
        self.tokenIds = tokenIds.flatMap { $0 }
        self.paddingMask = try checked(paddingMask, "padding_mask") ?? Array(repeating: true, count: batchSize * length)
        self.segmentIds = try checked(segmentIds, "segment_ids")
    }

    /// Creates a batch from flat row-major arrays.
    /// - Throws: ``InputError`` when an array's count is not `batchSize * sequenceLength`.
    public init(
        batchSize: Int, sequenceLength: Int, tokenIds: [Int32], paddingMask: [Bool]? = nil, segmentIds: [Int32]? = nil
    ) throws {
        guard batchSize > 0 else { throw InputError.emptyBatch }
        guard sequenceLength > 0 else { throw InputError.emptySequence }
        let (count, overflow) = batchSize.multipliedReportingOverflow(by: sequenceLength)
        guard !overflow else {
            throw InputError.shapeMismatch(input: "token_ids", expected: [batchSize, sequenceLength], found: [tokenIds.count])
        }
        for (name, found) in [("token_ids", tokenIds.count), ("padding_mask", paddingMask?.count ?? count),
                              ("segment_ids", segmentIds?.count ?? count)] where found != count {
            throw InputError.shapeMismatch(input: name, expected: [batchSize, sequenceLength], found: [found])
        }
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.tokenIds = tokenIds
        self.paddingMask = paddingMask ?? Array(repeating: true, count: count)
        self.segmentIds = segmentIds
    }

    /// Checks every id against a vocabulary (or segment table) of `bound` entries.
    /// - Throws: ``InputError/idOutOfRange(input:id:row:position:bound:)`` naming the first bad id.
    func validate(_ ids: [Int32], input: String, bound: Int) throws {
        for (index, id) in ids.enumerated() where id < 0 || Int(id) >= bound {
            throw InputError.idOutOfRange(
                input: input, id: Int(id), row: index / sequenceLength, position: index % sequenceLength, bound: bound)
        }
    }
}

/// Errors in the inputs given to a model.
public enum InputError: Error, Equatable, CustomStringConvertible {
    /// The batch has no sequences.
    case emptyBatch
    /// The sequences have no tokens.
    case emptySequence
    /// A row of `input` has another length than the first.
    case raggedBatch(input: String, row: Int, expected: Int, found: Int)
    /// An input has another shape than the token ids.
    case shapeMismatch(input: String, expected: [Int], found: [Int])
    /// An id is outside `0..<bound` (the vocabulary, or the segment table).
    case idOutOfRange(input: String, id: Int, row: Int, position: Int, bound: Int)
    /// The sequences are longer than the model's position table.
    case sequenceTooLong(length: Int, maximum: Int)

    /// A message saying what was wrong and where.
    public var description: String {
        switch self {
        case .emptyBatch: return "the batch is empty"
        case .emptySequence: return "the sequences are empty"
        case .raggedBatch(let input, let row, let expected, let found):
            return "\(input): row \(row) has \(found) entries, expected \(expected) like row 0"
        case .shapeMismatch(let input, let expected, let found):
            return "\(input): expected shape \(expected), found \(found)"
        case .idOutOfRange(let input, let id, let row, let position, let bound):
            return "\(input): id \(id) at [\(row), \(position)] is outside 0..<\(bound)"
        case .sequenceTooLong(let length, let maximum):
            return "sequence length \(length) exceeds the model's maximum sequence length \(maximum)"
        }
    }
}
