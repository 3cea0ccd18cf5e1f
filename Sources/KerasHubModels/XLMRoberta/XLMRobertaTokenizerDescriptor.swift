import Foundation
import KerasHubTokenizers

/// How presets read and write ``XLMRobertaTokenizer``: KerasHub's `tokenizer.json` +
/// `assets/tokenizer/vocabulary.spm` (whole text to SentencePiece, as KerasHub), or a transformers
/// checkpoint's `sentencepiece.bpe.model` (special tokens matched in text, white-space split, as transformers).
struct XLMRobertaTokenizerDescriptor: TokenizerDescriptor {
    var className: String { "XLMRobertaTokenizer" }
    var module: String { "keras_hub.src.models.xlm_roberta.xlm_roberta_tokenizer" }
    var assets: [String] { ["assets/tokenizer/vocabulary.spm"] }

    func describes(_ tokenizer: any TokenizerProtocol) -> Bool { tokenizer is XLMRobertaTokenizer }

    func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws -> any TokenizerProtocol {
        try XLMRobertaTokenizer(modelFile: assets.path("vocabulary.spm"), textHandling: .kerasHub, sequenceLength: sequenceLength)
    }

    func loadTransformers(_ files: any PresetFiles) throws -> any TokenizerProtocol {
        try XLMRobertaTokenizer(modelFile: files.requiredPath("sentencepiece.bpe.model"), textHandling: .transformers)
    }

    func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue] {
        guard let xlmRoberta = tokenizer as? XLMRobertaTokenizer else {
            throw PresetError.unknownClass(file: assets.path, name: "\(type(of: tokenizer))", known: [className])
        }
        try Data(xlmRoberta.sentencePiece.serializedModel).write(to: assets.appendingPathComponent("vocabulary.spm"), options: .atomic)
        return ["proto": .null]
    }
}
