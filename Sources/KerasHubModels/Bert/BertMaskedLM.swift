import Foundation

/// Masked-token prediction with BERT or DistilBERT, as KerasHub's `BertMaskedLM` /
/// `DistilBertMaskedLM`: a ``MaskedLMHead`` tied to the backbone's token embedding. Head weights:
/// `masked_lm_head.…`; transformers' `BertForMaskedLM` (`cls.predictions.*`) and
/// `DistilBertForMaskedLM` (`vocab_transform`, `vocab_layer_norm`, `vocab_projector.bias`) load
/// through ``transformersHeadMapping(_:origin:)``.
public final class BertMaskedLM: Task, @unchecked Sendable {
    /// The head.
    public let head: MaskedLMHead
    /// Turns raw text into inputs.
    public let preprocessor: BertTextClassifierPreprocessor?
    private let tokenEmbedding: Embedding

    /// Builds the masked LM on a BERT or DistilBERT backbone.
    /// - Throws: ``TaskError`` for another backbone, ``WeightError`` for head weights.
    public init(backbone: Backbone, headWeights: WeightSource = .random(), preprocessor: BertTextClassifierPreprocessor? = nil) throws {
        let shape = try BertFamilyShape(backbone, task: "BertMaskedLM")
        guard let embedding = backbone.tiedTokenEmbedding else {
            throw TaskError.invalidConfiguration("BertMaskedLM needs a backbone with a token embedding")
        }
        head = try MaskedLMHead(
            hiddenDim: shape.hiddenDim, vocabularySize: shape.vocabularySize, activation: shape.activation,
            layerNormEpsilon: shape.layerNormEpsilon, weights: headWeights.scope("masked_lm_head"))
        tokenEmbedding = embedding
        self.preprocessor = preprocessor
        super.init(backbone: backbone)
        try headWeights.checkAllTensorsUsed()
    }

    /// Vocabulary logits at every position, `[batch, length, vocabularySize]`.
    public func logits(_ inputs: TokenBatch) throws -> Tensor {
        try head(backbone(inputs).sequenceOutput, tokenEmbedding: tokenEmbedding)
    }

    /// Vocabulary logits at `maskPositions` (one list per sequence, all of one length),
    /// `[batch, positions, vocabularySize]`, as KerasHub's `mask_positions` input.
    /// - Throws: ``InputError`` for a position outside the sequence or ragged position lists.
    public func callAsFunction(_ inputs: TokenBatch, maskPositions: [[Int]]) throws -> Tensor {
        guard maskPositions.count == inputs.batchSize else {
            throw InputError.shapeMismatch(input: "mask_positions", expected: [inputs.batchSize], found: [maskPositions.count])
        }
        let count = maskPositions.first?.count ?? 0
        var rows: [Int32] = []
        for (sequence, positions) in maskPositions.enumerated() {
            guard positions.count == count else {
                throw InputError.raggedBatch(input: "mask_positions", row: sequence, expected: count, found: positions.count)
            }
            for (index, position) in positions.enumerated() {
                guard position >= 0, position < inputs.sequenceLength else {
                    throw InputError.idOutOfRange(input: "mask_positions", id: position, row: sequence, position: index, bound: inputs.sequenceLength)
                }
                rows.append(Int32(sequence * inputs.sequenceLength + position))
            }
        }
        let hidden = try backbone(inputs).sequenceOutput
        let selected = try hidden.reshaped([inputs.batchSize * inputs.sequenceLength, hidden.shape[2]]).gatherRows(rows)
        let logits = try head(selected, tokenEmbedding: tokenEmbedding)
        return try logits.reshaped([inputs.batchSize, count, logits.shape[1]])
    }

    /// The `topK` most likely tokens for each `[MASK]` in `text`, most likely first.
    /// - Throws: ``TaskError`` without a preprocessor or when the text has no `[MASK]`.
    public func fillMask(_ text: String, topK: Int = 5) throws -> [[(token: String, probability: Float)]] {
        guard let preprocessor else { throw TaskError.noPreprocessor("BertMaskedLM") }
        // The mask literal is split out first, so it counts whether or not the tokenizer
        // recognises special tokens inside strings.
        let tokenizer = preprocessor.tokenizer
        let mask = tokenizer.maskTokenId
        let literal = tokenizer.idToToken(mask) ?? "[MASK]"
        var ids: [Int32] = []
        for (index, piece) in text.components(separatedBy: literal).enumerated() {
            if index > 0 { ids.append(mask) }
            ids += tokenizer.tokenize(piece)
        }
        let inputs = try preprocessor.pack([[ids]])
        let positions = inputs.tokenIds.indices.filter { inputs.tokenIds[$0] == mask }
        guard !positions.isEmpty else { throw TaskError.invalidConfiguration("the text has no [MASK] token: \(text)") }
        let logits = try self(inputs, maskPositions: [positions])
        let vocabulary = logits.shape[2]
        let scores = logits.scalars
        return positions.indices.map { index in
            let row = Array(scores[(index * vocabulary)..<((index + 1) * vocabulary)])
            let top = row.max() ?? 0
            let exps = row.map { expf($0 - top) }
            let total = exps.reduce(0, +)
            return row.indices.sorted { row[$0] > row[$1] }.prefix(max(0, topK)).map { id in
                (preprocessor.tokenizer.idToToken(Int32(id)) ?? "", exps[id] / total)
            }
        }
    }

    /// The head's weights.
    public override var headWeights: [String: Tensor] { head.namedWeights.prefixed("masked_lm_head") }

    /// Our head names read from a transformers masked-LM checkpoint (BERT or DistilBERT naming).
    public static func transformersHeadMapping(_ store: any TensorStore, origin: String) throws -> MappedTensorStore {
        let entries: [String: MappedTensorStore.Entry]
        let heads: [String]
        if store.shape(of: "vocab_transform.weight") != nil {
            heads = ["vocab_transform.", "vocab_layer_norm.", "vocab_projector."]
            entries = ["masked_lm_head.intermediate_dense.kernel": .init(source: "vocab_transform.weight", transform: .transpose),
                       "masked_lm_head.intermediate_dense.bias": .init(source: "vocab_transform.bias"),
                       "masked_lm_head.intermediate_layer_norm.gamma": .init(source: "vocab_layer_norm.weight"),
                       "masked_lm_head.intermediate_layer_norm.beta": .init(source: "vocab_layer_norm.bias"),
                       "masked_lm_head.output_bias": .init(source: "vocab_projector.bias")]
        } else {
            heads = ["cls.predictions."]
            entries = ["masked_lm_head.intermediate_dense.kernel": .init(source: "cls.predictions.transform.dense.weight", transform: .transpose),
                       "masked_lm_head.intermediate_dense.bias": .init(source: "cls.predictions.transform.dense.bias"),
                       "masked_lm_head.intermediate_layer_norm.gamma": .init(source: "cls.predictions.transform.LayerNorm.weight"),
                       "masked_lm_head.intermediate_layer_norm.beta": .init(source: "cls.predictions.transform.LayerNorm.bias"),
                       "masked_lm_head.output_bias": .init(source: "cls.predictions.bias")]
        }
        // The tied decoder weight (if a checkpoint stores it) is the token embedding itself.
        let tied: Set<String> = ["cls.predictions.decoder.weight", "cls.predictions.decoder.bias", "vocab_projector.weight"]
        return try MappedTensorStore(base: store, entries: entries, origin: origin) { name in
            !heads.contains { name.hasPrefix($0) } || tied.contains(name)
        }
    }
}

/// KerasHub's `DistilBertMaskedLM` is the same head on a DistilBERT backbone.
public typealias DistilBertMaskedLM = BertMaskedLM
