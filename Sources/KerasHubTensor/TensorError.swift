/// Errors raised by tensor construction and kernels.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// A shape has a negative dimension.
    case invalidShape([Int])
    /// The number of elements does not match the shape.
    case elementCountMismatch(shape: [Int], count: Int)
    /// Two operands of an operation have incompatible shapes.
    case shapeMismatch(operation: String, expected: [Int], found: [Int])
    /// An index (a token id, say) at `position` of the input is outside `0..<bound`.
    case indexOutOfRange(index: Int, position: Int, bound: Int)

    /// A message naming what was wrong.
    public var description: String {
        switch self {
        case .invalidShape(let shape):
            return "invalid tensor shape \(shape): dimensions must be non-negative"
        case .elementCountMismatch(let shape, let count):
            return "shape \(shape) needs \(shape.reduce(1, *)) elements, found \(count)"
        case .shapeMismatch(let operation, let expected, let found):
            return "\(operation): expected shape \(expected), found \(found)"
        case .indexOutOfRange(let index, let position, let bound):
            return "index \(index) at position \(position) is outside 0..<\(bound)"
        }
    }
}
