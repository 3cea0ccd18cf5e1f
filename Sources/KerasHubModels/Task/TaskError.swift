/// Errors of tasks.
public enum TaskError: Error, Equatable, CustomStringConvertible {
    /// Raw text was given to a task built without a preprocessor.
    case noPreprocessor(String)
    /// A head's configuration is invalid.
    case invalidConfiguration(String)

    /// A message saying what was wrong.
    public var description: String {
        switch self {
        case .noPreprocessor(let task): return "\(task) has no preprocessor: give it token ids, or load it with fromPreset"
        case .invalidConfiguration(let reason): return "invalid task configuration: \(reason)"
        }
    }
}
