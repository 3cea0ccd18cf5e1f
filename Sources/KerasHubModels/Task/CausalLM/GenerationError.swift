import Foundation

/// Bad arguments to ``GPT2CausalLM/generate(tokenIds:maxLength:stopTokenIds:sampler:seed:onStep:)``.
public enum GenerationError: Error, Equatable, CustomStringConvertible {
    /// No prompts were given.
    case emptyBatch
    /// Prompt `sequence` has no tokens.
    case emptyPrompt(sequence: Int)
    /// `maxLength` is below 1 or above the model's maximum sequence length.
    case maxLengthOutOfRange(maxLength: Int, maximum: Int)
    /// Prompt `sequence` is already longer than `maxLength`.
    case promptTooLong(sequence: Int, length: Int, maxLength: Int)
    /// A prompt token is not in the vocabulary.
    case tokenOutOfRange(sequence: Int, position: Int, id: Int32, vocabularySize: Int)
    /// The key/value cache for these prompts, beams and `maxLength` needs `bytes` (`nil`: more than
    /// an `Int` counts), more than the machine's `available` memory.
    case cacheTooLarge(bytes: Int?, available: Int)

    /// A message saying what was wrong and where.
    public var description: String {
        switch self {
        case .emptyBatch: return "generate: no prompts given"
        case .emptyPrompt(let sequence): return "generate: prompt \(sequence) is empty"
        case .maxLengthOutOfRange(let maxLength, let maximum):
            return "generate: maxLength \(maxLength) is outside 1...\(maximum) (the model's maximum sequence length)"
        case .promptTooLong(let sequence, let length, let maxLength):
            return "generate: prompt \(sequence) has \(length) tokens, more than maxLength \(maxLength)"
        case .tokenOutOfRange(let sequence, let position, let id, let vocabularySize):
            return "generate: prompt \(sequence) position \(position): token id \(id) is outside 0..<\(vocabularySize)"
        case .cacheTooLarge(let bytes, let available):
            let needed = bytes.map { String(format: "%.1f GiB", Double($0) / Double(1 << 30)) } ?? "more memory than can be counted"
            return "generate: the key/value cache would need \(needed); this machine has \(String(format: "%.1f GiB", Double(available) / Double(1 << 30))) (use fewer prompts, beams or a smaller maxLength)"
        }
    }
}

/// What one step of generation produced, for streaming.
public struct GenerationStep: Sendable, Equatable {
    /// The step number, from 0.
    public let step: Int
    /// For each prompt, the tokens this step appended to it: one token, or none when the sequence
    /// is finished (beam search reports each whole continuation once, at the end, as the best beam
    /// is only known then).
    public let newTokens: [[Int32]]
    /// Whether each sequence is finished (stop token or `maxLength`).
    public let finished: [Bool]
}
