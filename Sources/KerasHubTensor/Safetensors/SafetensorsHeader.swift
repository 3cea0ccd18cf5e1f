import Foundation

/// The parsed and validated header of a safetensors file.
///
/// Layout: 8 bytes little-endian `N`, then `N` bytes of UTF-8 JSON, then the data buffer.
/// The JSON object maps tensor names to `{"dtype", "shape", "data_offsets"}` and may hold
/// `"__metadata__"`, an object of strings. Validation follows the reference implementation:
/// every byte range holds exactly `elementCount * byteSize` bytes, and the ranges, sorted,
/// cover the data buffer with no overlap, hole or trailing byte.
struct SafetensorsHeader: Sendable {
    /// The format's limit on `N` (as the reference implementation).
    static let maximumHeaderLength = 100_000_000

    /// The validated tensor entries, by name.
    var entries: [String: SafetensorsTensorInfo]
    /// The `__metadata__` object, empty when absent.
    var metadata: [String: String]
    /// The file offset at which the data buffer starts (`8 + N`).
    var dataStart: Int

    /// Parses and validates the header of `bytes`, the whole file.
    /// - Parameter file: the path used in error messages.
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> SafetensorsHeader {
        guard bytes.count >= 8 else { throw SafetensorsError.fileTooShort(file: file, size: bytes.count) }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(maximumHeaderLength) else {
            throw SafetensorsError.headerTooLarge(file: file, headerLength: headerLength, limit: maximumHeaderLength)
        }
        // headerLength <= 1e8 now, so the sum cannot overflow.
        let dataStart = 8 + Int(headerLength)
        guard dataStart <= bytes.count else {
            throw SafetensorsError.headerLengthExceedsFile(file: file, headerLength: headerLength, fileSize: bytes.count)
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart])
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw SafetensorsError.headerNotUTF8(file: file)
        }
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw SafetensorsError.headerNotObject(file: file)
        }
        if let name = JSONObjectKeys.firstDuplicate(in: headerBytes) {
            throw SafetensorsError.duplicateTensorName(file: file, tensor: name)
        }
        let json = Data(headerBytes)
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: json)
        } catch let error as DecodingError {
            if case .typeMismatch(_, let context) = error, context.codingPath.isEmpty {
                throw SafetensorsError.headerNotObject(file: file)
            }
            throw SafetensorsError.headerNotJSON(file: file, reason: Self.describe(error))
        } catch {
            throw SafetensorsError.headerNotJSON(file: file, reason: Self.describe(error))
        }
        if let failure = raw.metadataFailure {
            throw SafetensorsError.invalidMetadata(file: file, reason: failure)
        }
        if let (name, reason) = raw.entryFailures.min(by: { $0.0 < $1.0 }) {
            throw SafetensorsError.invalidEntry(file: file, tensor: name, reason: reason)
        }
        let bufferSize = bytes.count - dataStart
        var entries: [String: SafetensorsTensorInfo] = [:]
        for (name, entry) in raw.entries.sorted(by: { $0.key < $1.key }) {
            entries[name] = try validate(entry, name: name, bufferSize: bufferSize, file: file)
        }
        try checkCoverage(entries, bufferSize: bufferSize, file: file)
        return SafetensorsHeader(entries: entries, metadata: raw.metadata, dataStart: dataStart)
    }

    /// Checks one entry on its own: dtype, shape, offsets, byte count, bounds.
    private static func validate(_ entry: RawEntry, name: String, bufferSize: Int, file: String) throws -> SafetensorsTensorInfo {
        guard let dtype = SafetensorsDType(rawValue: entry.dtype) else {
            throw SafetensorsError.unknownDType(file: file, tensor: name, dtype: entry.dtype)
        }
        guard entry.shape.allSatisfy({ $0 >= 0 }) else {
            throw SafetensorsError.negativeDimension(file: file, tensor: name, shape: entry.shape)
        }
        var byteCount = dtype.byteSize
        for dimension in entry.shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw SafetensorsError.shapeOverflow(file: file, tensor: name, shape: entry.shape) }
            byteCount = product
        }
        let offsets = entry.dataOffsets
        guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw SafetensorsError.invalidDataOffsets(file: file, tensor: name, offsets: offsets)
        }
        guard offsets[1] - offsets[0] == byteCount else {
            throw SafetensorsError.byteCountMismatch(
                file: file, tensor: name, offsets: offsets, dtype: dtype, shape: entry.shape, expectedBytes: byteCount)
        }
        guard offsets[1] <= bufferSize else {
            throw SafetensorsError.offsetsPastEnd(file: file, tensor: name, offsets: offsets, bufferSize: bufferSize)
        }
        return SafetensorsTensorInfo(dtype: dtype, shape: entry.shape, byteRange: offsets[0]..<offsets[1])
    }

    /// Checks that the byte ranges tile the data buffer exactly: no overlap, hole or tail.
    private static func checkCoverage(_ entries: [String: SafetensorsTensorInfo], bufferSize: Int, file: String) throws {
        let ordered = entries.sorted {
            ($0.value.byteRange.lowerBound, $0.value.byteRange.upperBound, $0.key)
                < ($1.value.byteRange.lowerBound, $1.value.byteRange.upperBound, $1.key)
        }
        var end = 0
        var previous: (name: String, range: Range<Int>)?
        for (name, info) in ordered {
            let range = info.byteRange
            if range.lowerBound < end, let previous {
                throw SafetensorsError.overlappingTensors(
                    file: file, first: previous.name, firstOffsets: [previous.range.lowerBound, previous.range.upperBound],
                    second: name, secondOffsets: [range.lowerBound, range.upperBound])
            }
            if range.lowerBound > end {
                throw SafetensorsError.unindexedBytes(file: file, begin: end, end: range.lowerBound)
            }
            end = range.upperBound
            previous = (name, range)
        }
        if end != bufferSize {
            throw SafetensorsError.unindexedBytes(file: file, begin: end, end: bufferSize)
        }
    }

    /// A one-line account of a JSON decoding error (JSONDecoder also throws its own internal
    /// errors, for example for a number that does not fit the requested type).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.isEmpty ? "" : " at " + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "expected \(type)\(path(context)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "missing \(type) value\(path(context))"
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)'\(path(context))"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0))" } ?? ""
            return "\(context.debugDescription)\(path(context))\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// One tensor entry as JSON, before validation.
struct RawEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}

/// The header object as JSON, with per-entry failures kept so the error can name the tensor.
struct RawHeader: Decodable {
    var entries: [String: RawEntry] = [:]
    var entryFailures: [(String, String)] = []
    var metadata: [String: String] = [:]
    var metadataFailure: String?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                do {
                    // `null` means no metadata, as in the reference (an optional map).
                    if try container.decodeNil(forKey: key) { continue }
                    metadata = try container.decode([String: String].self, forKey: key)
                } catch {
                    metadataFailure = SafetensorsHeader.describe(error)
                }
                continue
            }
            do {
                entries[key.stringValue] = try container.decode(RawEntry.self, forKey: key)
            } catch {
                entryFailures.append((key.stringValue, SafetensorsHeader.describe(error)))
            }
        }
    }
}
