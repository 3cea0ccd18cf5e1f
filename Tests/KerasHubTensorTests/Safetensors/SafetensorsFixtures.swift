import Foundation
import Testing
@testable import KerasHubTensor

/// Access to the fixtures written by `Tools/make_safetensors_fixtures.py` and their expectations.
enum SafetensorsFixtures {
    /// The fixture directory `Fixtures/safetensors` in the test bundle.
    static var directory: URL {
        get throws {
            let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            return root.appendingPathComponent("safetensors")
        }
    }

    /// A fixture file by its path under `Fixtures/safetensors`.
    static func url(_ name: String) throws -> URL {
        try directory.appendingPathComponent(name)
    }

    /// `expected.json`, decoded.
    static func expected() throws -> Expected {
        let data = try Data(contentsOf: url("expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    struct Expected: Decodable {
        struct TensorExpectation: Decodable {
            var dtype: String
            var shape: [Int]
            /// The float32 bit pattern of each element as torch / numpy widens it.
            var bits: [UInt32]
        }
        struct FileExpectation: Decodable {
            var tensors: [String: TensorExpectation]
            var metadata: [String: String]
        }
        struct Rounding: Decodable {
            var inputs: [UInt32]
            var float16: [UInt16]
            var bfloat16: [UInt16]
        }
        struct WriterInput: Decodable {
            var shape: [Int]
            var bits: [UInt32]
        }
        struct Writer: Decodable {
            var inputs: [String: WriterInput]
            var metadata: [String: String]
            var files: [String: String]
            var mixedDtypes: [String: String]

            enum CodingKeys: String, CodingKey {
                case inputs, metadata, files
                case mixedDtypes = "mixed_dtypes"
            }
        }
        var files: [String: FileExpectation]
        var rounding: Rounding
        var writer: Writer
    }
}

/// A fresh temporary directory, removed when the returned object is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to a file of the directory and returns its URL.
    func write(_ bytes: [UInt8], name: String = "model.safetensors") throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }
}

/// Builds safetensors bytes by hand: a length (by default the header's), the header, the data.
func safetensorsBytes(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    safetensorsBytes(headerBytes: Array(header.utf8), data: data, declaredLength: declaredLength)
}

/// Builds safetensors bytes from raw header bytes.
func safetensorsBytes(headerBytes: [UInt8], data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (declaredLength ?? UInt64(headerBytes.count)).littleEndian) { bytes += $0 }
    return bytes + headerBytes + data
}

/// Expects two float arrays to agree bit for bit (any NaN matches any NaN).
func expectSameBits(_ actual: [Float], _ expected: [UInt32], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label): count", sourceLocation: sourceLocation)
    for (index, (value, bits)) in zip(actual, expected).enumerated() {
        let wanted = Float(bitPattern: bits)
        if wanted.isNaN {
            #expect(value.isNaN, "\(label)[\(index)]: expected NaN, found \(value)", sourceLocation: sourceLocation)
        } else {
            #expect(value.bitPattern == bits, "\(label)[\(index)]: expected \(wanted), found \(value)", sourceLocation: sourceLocation)
        }
    }
}
