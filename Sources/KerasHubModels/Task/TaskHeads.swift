/// The hidden size, activation and epsilon of BERT-family backbones, for the heads on top of them.
struct BertFamilyShape {
    let hiddenDim: Int
    let vocabularySize: Int
    let maxSequenceLength: Int
    let activation: Activation
    let layerNormEpsilon: Float

    /// The shape of a BERT or DistilBERT backbone.
    /// - Throws: ``TaskError/invalidConfiguration(_:)`` for another backbone.
    init(_ backbone: Backbone, task: String) throws {
        switch backbone {
        case let bert as BertBackbone:
            let c = bert.config
            self.init(hiddenDim: c.hiddenDim, vocabularySize: c.vocabularySize, maxSequenceLength: c.maxSequenceLength,
                      activation: c.activation, layerNormEpsilon: c.layerNormEpsilon)
        case let distilBert as DistilBertBackbone:
            let c = distilBert.config
            self.init(hiddenDim: c.hiddenDim, vocabularySize: c.vocabularySize, maxSequenceLength: c.maxSequenceLength,
                      activation: c.activation, layerNormEpsilon: c.layerNormEpsilon)
        default:
            throw TaskError.invalidConfiguration("\(task) needs a BertBackbone or DistilBertBackbone, not \(type(of: backbone))")
        }
    }

    private init(hiddenDim: Int, vocabularySize: Int, maxSequenceLength: Int, activation: Activation, layerNormEpsilon: Float) {
        self.hiddenDim = hiddenDim
        self.vocabularySize = vocabularySize
        self.maxSequenceLength = maxSequenceLength
        self.activation = activation
        self.layerNormEpsilon = layerNormEpsilon
    }
}

extension Backbone {
    /// The token embedding the masked-LM head is tied to.
    var tiedTokenEmbedding: Embedding? {
        switch self {
        case let bert as BertBackbone: bert.tokenEmbedding
        case let distilBert as DistilBertBackbone: distilBert.tokenEmbedding
        case let gpt2 as GPT2Backbone: gpt2.tokenEmbedding
        default: nil
        }
    }
}
