import Foundation
import KerasHubLayers
import KerasHubTensor

/// The base class of masked language models, as KerasHub's `MaskedLM`: an encoder backbone and a
/// ``MaskedLMHead`` tied to its token embedding. Concrete classes (``BertMaskedLM``,
/// ``RobertaMaskedLM``…) configure the head and map their checkpoints' head names.
open class MaskedLM: Task, @unchecked Sendable {
    /// The head.
    public let head: MaskedLMHead
    /// Turns raw text into inputs.
    public let preprocessor: MaskedLMPreprocessor?

    /// Builds the head on `backbone` from `headWeights` (scope `masked_lm_head`).
    /// - Throws: ``WeightError`` for head weights.
    public init(
        backbone: Backbone, activation: Activation, layerNormEpsilon: Float, headWeights: WeightSource,
        preprocessor: MaskedLMPreprocessor?
    ) throws {
        head = try MaskedLMHead(
            hiddenDim: backbone.hiddenDim, vocabularySize: backbone.vocabularySize, activation: activation,
            layerNormEpsilon: layerNormEpsilon, weights: headWeights.scope(TaskWeightName.maskedLMHead))
        self.preprocessor = preprocessor
        super.init(backbone: backbone)
        try headWeights.checkAllTensorsUsed()
    }

    /// Vocabulary logits at every position, `[batch, length, vocabularySize]`.
    public func logits(_ inputs: TokenBatch) throws -> Tensor {
        try head(backbone(inputs).sequenceOutput, tokenEmbedding: backbone.tokenEmbedding)
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
        let logits = try head(selected, tokenEmbedding: backbone.tokenEmbedding)
        return try logits.reshaped([inputs.batchSize, count, logits.shape[1]])
    }

    /// The `topK` most likely tokens for each mask token in `text`, most likely first.
    /// - Throws: ``TaskError`` without a preprocessor or when the text has no mask token.
    public func fillMask(_ text: String, topK: Int = 5) throws -> [[(token: String, probability: Float)]] {
        guard let preprocessor, let mask = preprocessor.specialIds.mask else { throw TaskError.noPreprocessor("\(type(of: self))") }
        // The mask literal is split out first, so it counts whether or not the tokenizer
        // recognises special tokens inside strings.
        let tokenizer = preprocessor.tokenizer
        let literal = tokenizer.idToToken(mask) ?? "[MASK]"
        var ids: [Int32] = []
        for (index, piece) in text.components(separatedBy: literal).enumerated() {
            if index > 0 { ids.append(mask) }
            ids += tokenizer.tokenize(piece)
        }
        let inputs = try preprocessor.pack([[ids]])
        let positions = inputs.tokenIds.indices.filter { inputs.tokenIds[$0] == mask }
        guard !positions.isEmpty else { throw TaskError.invalidConfiguration("the text has no \(literal) token: \(text)") }
        let logits = try self(inputs, maskPositions: [positions])
        let vocabulary = logits.shape[2]
        let scores = logits.scalars
        return positions.indices.map { index in
            let row = Array(scores[(index * vocabulary)..<((index + 1) * vocabulary)])
            let top = row.max() ?? 0
            let exps = row.map { expf($0 - top) }
            let total = exps.reduce(0, +)
            return row.indices.sorted { row[$0] > row[$1] }.prefix(max(0, topK)).map { id in
                (tokenizer.idToToken(Int32(id)) ?? "", exps[id] / total)
            }
        }
    }

    /// `masked_lm_head`.
    public override func visitHeadWeights(_ visitor: WeightVisitor) { visitor.child(TaskWeightName.maskedLMHead, head) }
}
