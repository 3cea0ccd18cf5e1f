/// Errors raised while a model takes its weights from a checkpoint.
public enum WeightError: Error, Equatable, CustomStringConvertible {
    /// The model needs a tensor the checkpoint does not have.
    case missingTensor(name: String, origin: String)
    /// The checkpoint's tensor has another shape than the model expects.
    case shapeMismatch(name: String, expected: [Int], found: [Int], origin: String)
    /// The checkpoint holds tensors the model does not use.
    case unexpectedTensors(names: [String], origin: String)
    /// The checkpoint stores the tensor in a non-floating-point dtype (an integer or boolean buffer).
    case wrongDType(name: String, found: String, origin: String)
    /// The checkpoint's tensor could not be read.
    case unreadableTensor(name: String, origin: String, reason: String)
    /// The checkpoint's tensor holds a NaN or an infinity; `index` is the first such element
    /// (row-major) and `value` what it holds.
    case nonFiniteValue(name: String, origin: String, index: Int, value: Float)

    /// A message naming the tensor, the checkpoint and the shapes.
    public var description: String {
        switch self {
        case .missingTensor(let name, let origin):
            return "\(origin): missing tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let found, let origin):
            return "\(origin): tensor '\(name)' has shape \(found), expected \(expected)"
        case .unexpectedTensors(let names, let origin):
            let shown = names.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            let more = names.count > 8 ? " and \(names.count - 8) more" : ""
            return "\(origin): unexpected tensor\(names.count == 1 ? "" : "s") \(shown)\(more) not used by the model"
        case .wrongDType(let name, let found, let origin):
            return "\(origin): tensor '\(name)' is stored as \(found), expected a floating-point dtype (F32, F16, BF16)"
        case .unreadableTensor(let name, let origin, let reason):
            return "\(origin): cannot read tensor '\(name)': \(reason)"
        case .nonFiniteValue(let name, let origin, let index, let value):
            return "\(origin): tensor '\(name)' holds \(value) at element \(index); weights must be finite"
        }
    }
}
