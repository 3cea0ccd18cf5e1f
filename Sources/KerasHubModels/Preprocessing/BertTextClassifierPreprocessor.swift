/// Raw text to BERT inputs, as KerasHub's `BertTextClassifierPreprocessor`: tokenize, pack one text
/// or a pair as `[CLS] a [SEP] (b [SEP])` with segment ids, truncate to `sequenceLength`, pad with `[PAD]`.
///
/// A batch is padded to its longest sequence (at most `sequenceLength`) unless
/// `padToSequenceLength` is set; padding is masked, so the model's outputs for the real tokens are
/// the same either way, and short batches run much faster.
public struct BertTextClassifierPreprocessor: Sendable {
    /// The tokenizer.
    public let tokenizer: any BertFamilyTokenizer
    /// The longest packed sequence.
    public let sequenceLength: Int
    /// How pairs are shortened to fit.
    public let truncate: MultiSegmentPacker.Truncation
    /// Whether every batch is padded to `sequenceLength` (KerasHub's fixed shape) instead of its longest sequence.
    public let padToSequenceLength: Bool

    /// Creates a preprocessor.
    public init(
        tokenizer: any BertFamilyTokenizer, sequenceLength: Int = 512, truncate: MultiSegmentPacker.Truncation = .roundRobin,
        padToSequenceLength: Bool = false
    ) {
        self.tokenizer = tokenizer
        self.sequenceLength = sequenceLength
        self.truncate = truncate
        self.padToSequenceLength = padToSequenceLength
    }

    /// Inputs for single texts.
    /// - Throws: ``InputError/emptyBatch`` for no texts.
    public func callAsFunction(_ texts: [String]) throws -> TokenBatch {
        try pack(tokenizer.tokenize(texts).map { [$0] })
    }

    /// Inputs for text pairs (`[CLS] first [SEP] second [SEP]`, segment ids 0 then 1).
    /// - Throws: ``InputError/emptyBatch`` for no pairs.
    public func callAsFunction(pairs: [(String, String)]) throws -> TokenBatch {
        let first = tokenizer.tokenize(pairs.map(\.0)), second = tokenizer.tokenize(pairs.map(\.1))
        return try pack(zip(first, second).map { [$0, $1] })
    }

    /// Packs already tokenized segments (one array of segments per example).
    /// - Throws: ``InputError/emptyBatch`` for an empty batch.
    public func pack(_ examples: [[[Int32]]]) throws -> TokenBatch {
        guard !examples.isEmpty else { throw InputError.emptyBatch }
        let packer = MultiSegmentPacker(
            sequenceLength: sequenceLength, startValue: [tokenizer.clsTokenId], endValue: [tokenizer.sepTokenId],
            padValue: tokenizer.padTokenId, truncate: truncate)
        let packed = packer.packBatch(examples)
        let longest = packed.map { $0.paddingMask.filter { $0 }.count }.max() ?? 1
        let length = padToSequenceLength ? sequenceLength : max(1, longest)
        return try TokenBatch(
            tokenIds: packed.map { Array($0.tokenIds.prefix(length)) },
            paddingMask: packed.map { Array($0.paddingMask.prefix(length)) },
            segmentIds: packed.map { Array($0.segmentIds.prefix(length)) })
    }
}

/// The embedder's preprocessor is the classifier's (KerasHub's `BertTextEmbedderPreprocessor`).
public typealias BertTextEmbedderPreprocessor = BertTextClassifierPreprocessor
/// DistilBERT packs text as BERT does (its backbone ignores the segment ids).
public typealias DistilBertTextClassifierPreprocessor = BertTextClassifierPreprocessor
