import Foundation
import Testing
@testable import KerasHubTensor

@Suite struct SafetensorsWriterTests {
    private func writerInputs() throws -> [String: Tensor] {
        try SafetensorsFixtures.expected().writer.inputs.mapValues { input in
            try Tensor(shape: input.shape, scalars: input.bits.map(Float.init(bitPattern:)))
        }
    }

    /// For one dtype, the Swift writer reproduces the reference library's file byte for byte
    /// (header layout, padding, order, and float16 / bfloat16 rounding).
    @Test(arguments: DType.allCases)
    func matchesReferenceBytes(_ dtype: DType) throws {
        let writer = try SafetensorsFixtures.expected().writer
        let golden = try Data(contentsOf: SafetensorsFixtures.url(try #require(writer.files[dtype.rawValue])))
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("out.safetensors")
        try SafetensorsWriter.write(try writerInputs(), dtype: dtype, metadata: writer.metadata, to: url)
        let written = try Data(contentsOf: url)
        #expect(written == golden, "\(dtype): \(written.count) bytes written, golden \(golden.count)")
    }

    /// Per-tensor dtypes are laid out as the reference library lays them out.
    @Test func matchesReferenceBytesWithMixedDTypes() throws {
        let writer = try SafetensorsFixtures.expected().writer
        let golden = try Data(contentsOf: SafetensorsFixtures.url(try #require(writer.files["mixed"])))
        let dtypes = try writer.mixedDtypes.mapValues { try #require(DType(rawValue: $0)) }
        #expect(dtypes.count == 3)
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("out.safetensors")
        try SafetensorsWriter.write(try writerInputs(), dtype: .float32, dtypes: dtypes, metadata: writer.metadata, to: url)
        #expect(try Data(contentsOf: url) == golden)
    }

    @Test(arguments: DType.allCases)
    func roundTrips(_ dtype: DType) throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("round.safetensors")
        let original: [String: Tensor] = [
            "w": try Tensor(shape: [2, 3], scalars: [0.1, -1.5, 2, 1e-3, 300, -0.0]),
            "b": try Tensor(shape: [3], scalars: [1, 2, 3]),
            "s": try Tensor(shape: [], scalars: [7]),
        ]
        try SafetensorsWriter.write(original, dtype: dtype, metadata: ["format": "pt"], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.tensorNames == ["b", "s", "w"])
        #expect(file.metadata == ["format": "pt"])
        for (name, tensor) in original {
            #expect(file.dtype(of: name) == dtype.safetensorsDType)
            let read = try file.tensor(named: name)
            #expect(read.shape == tensor.shape)
            let rounded = tensor.scalars.map { value -> Float in
                switch dtype {
                case .float32: return value
                case .float16: return HalfPrecision.float(fromFloat16Bits: HalfPrecision.float16Bits(value))
                case .bfloat16: return HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(value))
                }
            }
            #expect(read.scalars.map(\.bitPattern) == rounded.map(\.bitPattern), "\(name)")
        }
        let w = try file.tensor(named: "w").scalars
        switch dtype {
        case .float32: #expect(w[0] == 0.1)
        case .float16: #expect(w[0] == 0.0999755859375)
        case .bfloat16: #expect(w[0] == 0.10009765625)
        }
    }

    @Test func headerFormat() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("h.safetensors")
        try SafetensorsWriter.write(
            ["z": try Tensor(shape: [1], scalars: [1]), "a\"b": try Tensor(shape: [2], scalars: [1, 2])],
            dtypes: ["z": .bfloat16], to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(length % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        let json = #"{"a\"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]}}"#
        #expect(header == json + String(repeating: " ", count: length - json.utf8.count))
        #expect(bytes.count == 8 + length + 10)
        #expect(Array(bytes[(8 + length + 8)...]) == [0x80, 0x3F])
        #expect(try SafetensorsFile(contentsOf: url).tensor(named: "z").scalars == [1])
    }

    @Test func escapesLikeSerdeJSON() {
        #expect(SafetensorsWriter.jsonString("a\"\\\n\t\u{1}é") == #""a\"\\\n\t\u0001é""#)
    }

    @Test func emptyDictionaryWritesAValidFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("empty.safetensors")
        try SafetensorsWriter.write([:], to: url)
        #expect(try Data(contentsOf: url) == Data([8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8)))
        #expect(try SafetensorsFile(contentsOf: url).tensorNames.isEmpty)
    }

    @Test func replacesAtomicallyAndLeavesNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("model.safetensors")
        try Data("old".utf8).write(to: url)
        try SafetensorsWriter.write(["x": try Tensor(shape: [1], scalars: [2])], to: url)
        #expect(try SafetensorsFile(contentsOf: url).tensor(named: "x").scalars == [2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["model.safetensors"])
    }

    @Test func rejectsReservedNames() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("bad.safetensors")
        #expect(throws: SafetensorsError.invalidTensorName(file: url.path, tensor: "__metadata__")) {
            try SafetensorsWriter.write(["__metadata__": Tensor(shape: [1])], to: url)
        }
        #expect(throws: SafetensorsError.invalidTensorName(file: url.path, tensor: "")) {
            try SafetensorsWriter.write(["": Tensor(shape: [1])], to: url)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func reportsUnwritableDirectory() throws {
        let url = URL(fileURLWithPath: "/nonexistent-dir-\(UUID().uuidString)/model.safetensors")
        do {
            try SafetensorsWriter.write(["x": Tensor(shape: [1])], to: url)
            Issue.record("expected a write failure")
        } catch let error as SafetensorsError {
            guard case .writeFailed(let file, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(file == url.path)
            #expect(error.description.hasPrefix(url.path + ": write failed"))
        }
    }
}
