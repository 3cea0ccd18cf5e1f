import CHDF5
import Foundation

/// One open HDF5 identifier (file, group, dataset, dataspace, type or property list), closed
/// when the value goes away.
final class HDF5Object: @unchecked Sendable {
    /// The HDF5 identifier.
    let id: hid_t
    private let close: (hid_t) -> herr_t

    /// Wraps a valid identifier (callers check `id >= 0` first).
    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    deinit { _ = HDF5.locked { close(id) } }
}

/// The library's entry points: every HDF5 call goes through ``locked(_:)``, so that a library
/// built without thread safety is still only entered by one thread at a time. The lock is
/// recursive: closing an object inside a locked region takes it again.
enum HDF5 {
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var silenced = false

    /// Runs `body` holding the HDF5 lock, with HDF5's own error printing turned off once.
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        if !silenced {
            kh5_silence_errors()
            silenced = true
        }
        return try body()
    }

    /// Opens `id` as an owned object, or returns `nil` when HDF5 returned an error.
    static func own(_ id: hid_t, close: @escaping (hid_t) -> herr_t) -> HDF5Object? {
        id >= 0 ? HDF5Object(id, close: close) : nil
    }

    /// The outermost and innermost messages of HDF5's error stack after a failed call
    /// (e.g. "unable to open file: file signature not found"), clearing the stack.
    static func lastError() -> String {
        var messages: [String] = []
        let walk: H5E_walk2_t = { _, description, context in
            guard let description, let context, let text = description.pointee.desc else { return 0 }
            context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: text))
            return 0
        }
        let stack = H5Eget_current_stack()
        guard stack >= 0 else { return "HDF5 call failed" }
        withUnsafeMutablePointer(to: &messages) { pointer in
            _ = H5Ewalk2(stack, H5E_WALK_DOWNWARD, walk, pointer)
        }
        _ = H5Eclose_stack(stack)
        let distinct = [messages.first, messages.last].compactMap { $0 }.filter { !$0.isEmpty }
        guard let first = distinct.first else { return "HDF5 call failed" }
        return distinct.count == 2 && distinct[1] != first ? "\(first): \(distinct[1])" : first
    }
}
