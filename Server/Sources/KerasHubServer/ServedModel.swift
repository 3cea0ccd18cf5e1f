import KerasHub

/// The one model a server serves, loaded once at start, and the endpoint it enables: a
/// ``CausalLM`` serves `/v1/completions`, a ``TextEmbedder`` serves `/v1/embeddings`.
public enum ServedModel: Sendable {
    /// A causal language model.
    case causalLM(CausalLM)
    /// A sentence embedder.
    case embedder(TextEmbedder)

    /// Loads the task a preset holds (any preset form: directory, built-in name, `hf://`): its causal
    /// LM when it has one, else its sentence embedder.
    /// - Throws: ``PresetError`` (or the loader's errors) when the preset holds neither, and
    ///   ``ServedModelError`` for a model without a tokenizer.
    public static func load(preset: String) throws -> ServedModel {
        // The preset's own task first; a preset that names none (a bare backbone) is read as an embedder.
        let task = try? Task.fromPreset(preset)
        if let model = task as? CausalLM {
            guard model.preprocessor != nil else { throw ServedModelError.noTokenizer(preset: preset) }
            return .causalLM(model)
        }
        let embedder = try (task as? TextEmbedder) ?? TextEmbedder.fromPreset(preset)
        guard embedder.preprocessor != nil else { throw ServedModelError.noTokenizer(preset: preset) }
        return .embedder(embedder)
    }

    /// `completions` or `embeddings`.
    public var endpoint: String {
        switch self {
        case .causalLM: return "completions"
        case .embedder: return "embeddings"
        }
    }
}

/// A preset the server cannot serve.
public enum ServedModelError: Error, CustomStringConvertible {
    /// The preset's model has no tokenizer, so it cannot read text.
    case noTokenizer(preset: String)

    /// A message saying what was wrong.
    public var description: String {
        switch self {
        case .noTokenizer(let preset): return "preset '\(preset)' has no tokenizer, so its model cannot read text (the server serves text)"
        }
    }
}
