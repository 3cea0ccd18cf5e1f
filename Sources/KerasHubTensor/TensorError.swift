/// Errors raised by tensor construction and kernels.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// A shape has a negative dimension.
    case invalidShape([Int])
    /// The number of elements does not match the shape.
    case elementCountMismatch(shape: [Int], count: Int)
    /// Two operands of an operation have incompatible shapes.
    case shapeMismatch(operation: String, expected: [Int], found: [Int])

    /// A message naming what was wrong.
    public var description: String {
        switch self {
        case .invalidShape(let shape):
            return "invalid tensor shape \(shape): dimensions must be non-negative"
        case .elementCountMismatch(let shape, let count):
            return "shape \(shape) needs \(shape.reduce(1, *)) elements, found \(count)"
        case .shapeMismatch(let operation, let expected, let found):
            return "\(operation): expected shape \(expected), found \(found)"
        }
    }
}
