import Foundation

/// The tokenizer classes presets name in `tokenizer.json`, with their KerasHub modules and assets.
enum TokenizerFamily: String, CaseIterable {
    case bert = "BertTokenizer"
    case distilBert = "DistilBertTokenizer"
    case gpt2 = "GPT2Tokenizer"
    case wordPiece = "WordPieceTokenizer"
    case bytePair = "BytePairTokenizer"
    case sentencePiece = "SentencePieceTokenizer"

    init?(className: String) {
        self.init(rawValue: className.split(separator: ">").last.map(String.init) ?? className)
    }

    /// The family of a loaded tokenizer.
    init?(tokenizer: any TokenizerProtocol) {
        switch tokenizer {
        case is BertTokenizer: self = .bert
        case is DistilBertTokenizer: self = .distilBert
        case is GPT2Tokenizer: self = .gpt2
        case is WordPieceTokenizer: self = .wordPiece
        case is BytePairTokenizer: self = .bytePair
        case is SentencePieceTokenizer: self = .sentencePiece
        case let wrapped as Tokenizer: self.init(tokenizer: wrapped.base)
        default: return nil
        }
    }

    var module: String {
        switch self {
        case .bert: "keras_hub.src.models.bert.bert_tokenizer"
        case .distilBert: "keras_hub.src.models.distil_bert.distil_bert_tokenizer"
        case .gpt2: "keras_hub.src.models.gpt2.gpt2_tokenizer"
        case .wordPiece: "keras_hub.src.tokenizers.word_piece_tokenizer"
        case .bytePair: "keras_hub.src.tokenizers.byte_pair_tokenizer"
        case .sentencePiece: "keras_hub.src.tokenizers.sentence_piece_tokenizer"
        }
    }

    /// Asset files, relative to the preset directory.
    var assets: [String] {
        switch self {
        case .bert, .distilBert, .wordPiece: ["assets/tokenizer/vocabulary.txt"]
        case .gpt2, .bytePair: ["assets/tokenizer/vocabulary.json", "assets/tokenizer/merges.txt"]
        case .sentencePiece: ["assets/tokenizer/vocabulary.spm"]
        }
    }
}
