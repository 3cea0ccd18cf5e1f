import Foundation
import KerasHubModels
import KerasHubTokenizers

/// KerasHub's generic `SentencePieceTokenizer` class: `assets/tokenizer/vocabulary.spm`.
struct SentencePieceTokenizerDescriptor: TokenizerDescriptor {
    var className: String { "SentencePieceTokenizer" }
    var module: String { "keras_hub.src.tokenizers.sentence_piece_tokenizer" }
    var assets: [String] { ["assets/tokenizer/vocabulary.spm"] }

    func describes(_ tokenizer: any TokenizerProtocol) -> Bool { tokenizer is SentencePieceTokenizer }

    func load(kerasHubConfig config: [String: JSONValue], assets: TokenizerAssets, sequenceLength: Int?) throws -> any TokenizerProtocol {
        try SentencePieceTokenizer(
            modelFile: assets.path("vocabulary.spm"), addBos: config["add_bos"]?.boolValue ?? false,
            addEos: config["add_eos"]?.boolValue ?? false, sequenceLength: sequenceLength)
    }

    func save(_ tokenizer: any TokenizerProtocol, assets: URL) throws -> [String: JSONValue] {
        guard let sentencePiece = tokenizer as? SentencePieceTokenizer else {
            throw PresetError.unknownClass(file: assets.path, name: "\(type(of: tokenizer))", known: [className])
        }
        try Data(sentencePiece.serializedModel).write(to: assets.appendingPathComponent("vocabulary.spm"), options: .atomic)
        return ["proto": .null, "add_bos": .bool(sentencePiece.addBos), "add_eos": .bool(sentencePiece.addEos)]
    }
}

/// Every tokenizer class presets can name: each built-in family's, then KerasHub's generic ones.
enum TokenizerClasses {
    static var all: [any TokenizerDescriptor] {
        ModelFamilies.builtIn.map(\.tokenizer) + [WordPieceTokenizerDescriptor(), BytePairTokenizerDescriptor(), SentencePieceTokenizerDescriptor()]
    }

    /// The class a `tokenizer.json` names (`RobertaTokenizer` or `keras_hub>RobertaTokenizer`).
    static func named(_ className: String) -> (any TokenizerDescriptor)? {
        let bare = className.split(separator: ">").last.map(String.init) ?? className
        return all.first { $0.className == bare }
    }

    /// The class of a loaded tokenizer.
    static func of(_ tokenizer: any TokenizerProtocol) -> (any TokenizerDescriptor)? {
        let base = (tokenizer as? Tokenizer)?.base ?? tokenizer
        return all.first { $0.describes(base) }
    }
}
