import KerasHubTokenizers

/// Raw text to encoder inputs, as KerasHub's `TextClassifierPreprocessor` family: tokenize, pack
/// one text or a pair as `start a end` / `start a sep b end` with segment ids, truncate to
/// `sequenceLength`, pad with the padding token. BERT packs `[CLS] a [SEP] b [SEP]`, RoBERTa
/// `<s> a </s></s> b </s>`; each family's descriptor builds its own.
///
/// A batch is padded to its longest sequence (at most `sequenceLength`) unless
/// `padToSequenceLength` is set; padding is masked, so the model's outputs for the real tokens are
/// the same either way, and short batches run much faster.
public struct TextClassifierPreprocessor: Sendable {
    /// The special ids the packer places, looked up once in the tokenizer's vocabulary.
    public struct SpecialIds: Sendable, Equatable {
        /// Placed first (`[CLS]`, `<s>`).
        public var start: Int32
        /// Placed last (`[SEP]`, `</s>`).
        public var end: Int32
        /// Placed between two segments (`[SEP]`, `</s></s>`).
        public var separator: [Int32]
        /// Padding (`[PAD]`, `<pad>`).
        public var pad: Int32
        /// The mask token, for masked language models (`[MASK]`, `<mask>`).
        public var mask: Int32?

        /// Creates the special ids.
        public init(start: Int32, end: Int32, separator: [Int32]? = nil, pad: Int32, mask: Int32? = nil) {
            self.start = start
            self.end = end
            self.separator = separator ?? [end]
            self.pad = pad
            self.mask = mask
        }
    }

    /// The tokenizer.
    public let tokenizer: any TokenizerProtocol
    /// The ids the packer places.
    public let specialIds: SpecialIds
    /// The longest packed sequence.
    public let sequenceLength: Int
    /// How pairs are shortened to fit.
    public let truncate: MultiSegmentPacker.Truncation
    /// Whether every batch is padded to `sequenceLength` (KerasHub's fixed shape) instead of its longest sequence.
    public let padToSequenceLength: Bool

    /// Creates a preprocessor.
    public init(
        tokenizer: any TokenizerProtocol, specialIds: SpecialIds, sequenceLength: Int = 512,
        truncate: MultiSegmentPacker.Truncation = .roundRobin, padToSequenceLength: Bool = false
    ) {
        self.tokenizer = tokenizer
        self.specialIds = specialIds
        self.sequenceLength = sequenceLength
        self.truncate = truncate
        self.padToSequenceLength = padToSequenceLength
    }

    /// The same preprocessor with another sequence length, truncation and padding rule.
    public func with(
        sequenceLength: Int, truncate: MultiSegmentPacker.Truncation? = nil, padToSequenceLength: Bool? = nil
    ) -> TextClassifierPreprocessor {
        TextClassifierPreprocessor(
            tokenizer: tokenizer, specialIds: specialIds, sequenceLength: sequenceLength, truncate: truncate ?? self.truncate,
            padToSequenceLength: padToSequenceLength ?? self.padToSequenceLength)
    }

    /// Inputs for single texts.
    /// - Throws: ``InputError/emptyBatch`` for no texts.
    public func callAsFunction(_ texts: [String]) throws -> TokenBatch {
        try pack(tokenizer.tokenize(texts).map { [$0] })
    }

    /// Inputs for text pairs (`start first sep second end`, segment ids 0 then 1).
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
            sequenceLength: sequenceLength, startValue: [specialIds.start], endValue: [specialIds.end],
            sepValue: specialIds.separator, padValue: specialIds.pad, truncate: truncate)
        let packed = packer.packBatch(examples)
        let longest = packed.map { $0.paddingMask.filter { $0 }.count }.max() ?? 1
        let length = padToSequenceLength ? sequenceLength : max(1, longest)
        return try TokenBatch(
            tokenIds: packed.map { Array($0.tokenIds.prefix(length)) },
            paddingMask: packed.map { Array($0.paddingMask.prefix(length)) },
            segmentIds: packed.map { Array($0.segmentIds.prefix(length)) })
    }
}

/// KerasHub's `BertTextClassifierPreprocessor`: `[CLS] a [SEP] b [SEP]`.
public typealias BertTextClassifierPreprocessor = TextClassifierPreprocessor
/// The embedder's preprocessor is the classifier's (KerasHub's `BertTextEmbedderPreprocessor`).
public typealias BertTextEmbedderPreprocessor = TextClassifierPreprocessor
/// DistilBERT packs text as BERT does (its backbone ignores the segment ids).
public typealias DistilBertTextClassifierPreprocessor = TextClassifierPreprocessor
/// A masked LM packs its input as the classifier does.
public typealias MaskedLMPreprocessor = TextClassifierPreprocessor
