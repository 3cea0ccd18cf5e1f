#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Read-only bytes that outlive every copy of the struct that holds them: a memory-mapped
/// file (unmapped in `deinit`) or a heap copy.
///
/// The bytes are never written after initialisation, so sharing across threads is safe.
final class MappedBytes: @unchecked Sendable {
    /// The start of the bytes; `nil` only when `count == 0`.
    private let base: UnsafeRawPointer?
    /// The number of bytes.
    let count: Int
    /// Whether `base` came from `mmap` (else from `allocate`).
    private let isMapped: Bool

    /// Maps the whole file read-only.
    /// - Throws: ``SafetensorsError/unreadableFile(file:reason:)``.
    init(mapping url: URL) throws {
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SafetensorsError.unreadableFile(file: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SafetensorsError.unreadableFile(file: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw SafetensorsError.unreadableFile(file: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        isMapped = size > 0
        count = size
        guard size > 0 else {
            base = nil
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw SafetensorsError.unreadableFile(file: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(address)
    }

    /// Copies bytes into memory owned by this object.
    init(copying data: Data) {
        count = data.count
        isMapped = false
        guard !data.isEmpty else {
            base = nil
            return
        }
        let storage = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 16)
        _ = data.copyBytes(to: UnsafeMutableRawBufferPointer(start: storage, count: data.count))
        base = UnsafeRawPointer(storage)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            base.deallocate()
        }
    }

    /// Tells the kernel that `range` will not be read again soon: for a mapped file, its pages leave
    /// the process's resident set (a later read faults them back in from the page cache, so this
    /// never changes what the bytes read). A heap copy ignores the hint.
    ///
    /// Loading widens each tensor into its own float32 storage, after which the mapped bytes are
    /// dead weight; releasing them as it goes keeps the peak resident memory near the size of the
    /// float32 weights instead of that plus the whole file.
    func release(_ range: Range<Int>) {
        guard isMapped, let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lower = range.lowerBound / page * page
        let upper = min(count, (range.upperBound + page - 1) / page * page)
        guard upper > lower else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + lower), upper - lower, MADV_DONTNEED)
    }

    /// Calls `body` with the bytes (valid only during the call).
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
