import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes tensors as a safetensors file the reference `safetensors` library reads.
///
/// The layout matches the reference writer byte for byte: tensors packed back to back in name
/// order (with several dtypes, float32 tensors first, then bfloat16, then float16, as the
/// reference orders by dtype, which keeps float32 data 4-byte aligned), the header compact JSON
/// (`__metadata__` first, its keys sorted; entries in data order) padded with spaces to a
/// multiple of 8 bytes, so the data buffer starts 8-byte aligned. The file is written to a temporary file
/// in the same directory and renamed into place, so readers never see a partial file.
public enum SafetensorsWriter {
    /// Writes `tensors` to `url`, replacing any existing file atomically.
    /// - Parameters:
    ///   - tensors: the tensors, by name; the name `__metadata__` and the empty name are rejected.
    ///   - dtype: the storage dtype; float16 and bfloat16 round to nearest even.
    ///   - dtypes: per-tensor overrides of `dtype`.
    ///   - metadata: the header's `__metadata__` object (KerasHub and transformers write
    ///     `{"format": "pt"}`); omitted when `nil`.
    /// - Throws: ``SafetensorsError/invalidTensorName(file:tensor:)`` or
    ///   ``SafetensorsError/writeFailed(file:reason:)``.
    public static func write(
        _ tensors: [String: Tensor],
        dtype: DType = .float32,
        dtypes: [String: DType] = [:],
        metadata: [String: String]? = nil,
        to url: URL
    ) throws {
        let path = url.path
        for name in tensors.keys where name.isEmpty || name == "__metadata__" {
            throw SafetensorsError.invalidTensorName(file: path, tensor: name)
        }
        let ordered = tensors.map { (name: $0.key, tensor: $0.value, dtype: dtypes[$0.key] ?? dtype) }
            .sorted { ($0.dtype.referenceWriteRank, $0.name) < ($1.dtype.referenceWriteRank, $1.name) }
        let header = headerBytes(ordered.map { ($0.name, $0.dtype, $0.tensor.shape) }, metadata: metadata)

        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw SafetensorsError.writeFailed(file: path, reason: "cannot create \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: header)
                for entry in ordered {
                    try handle.write(contentsOf: encode(entry.tensor, as: entry.dtype))
                }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary.path, path) == 0 else {
                throw SafetensorsError.writeFailed(file: path, reason: "rename failed: \(String(cString: strerror(errno)))")
            }
        } catch let error as SafetensorsError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SafetensorsError.writeFailed(file: path, reason: "\(error)")
        }
    }

    /// The 8-byte length followed by the space-padded JSON header, for tensors in data order.
    static func headerBytes(_ tensors: [(name: String, dtype: DType, shape: [Int])], metadata: [String: String]?) -> [UInt8] {
        var json = "{"
        var fields: [String] = []
        if let metadata {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for tensor in tensors {
            let byteCount = tensor.shape.reduce(1, *) * tensor.dtype.byteSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append(
                "\(jsonString(tensor.name)):{\"dtype\":\"\(tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + byteCount)]}")
            offset += byteCount
        }
        json += fields.joined(separator: ",") + "}"
        var body = Array(json.utf8)
        body += [UInt8](repeating: UInt8(ascii: " "), count: (8 - body.count % 8) % 8)
        var result = [UInt8]()
        result.reserveCapacity(8 + body.count)
        withUnsafeBytes(of: UInt64(body.count).littleEndian) { result += $0 }
        return result + body
    }

    /// A JSON string literal, escaped as serde_json escapes (UTF-8 kept, control bytes escaped).
    static func jsonString(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The tensor's elements as little-endian bytes of `dtype`.
    static func encode(_ tensor: Tensor, as dtype: DType) -> Data {
        var data = Data(count: tensor.count * dtype.byteSize)
        tensor.withUnsafeBufferPointer { source in
            data.withUnsafeMutableBytes { destination in
                switch dtype {
                case .float32:
                    for (index, value) in source.enumerated() {
                        destination.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * index, as: UInt32.self)
                    }
                case .float16: HalfPrecision.narrowToFloat16(source, into: destination)
                case .bfloat16: HalfPrecision.narrowToBFloat16(source, into: destination)
                }
            }
        }
        return data
    }
}

extension DType {
    /// The position of the dtype in the reference writer's data order (descending alignment).
    fileprivate var referenceWriteRank: Int {
        switch self {
        case .float32: return 0
        case .bfloat16: return 1
        case .float16: return 2
        }
    }
}
