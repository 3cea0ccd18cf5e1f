import Foundation
import Testing
@testable import KerasHubTensor

@Suite struct SafetensorsReaderTests {
    /// Every fixture tensor of every dtype reads to torch's float32 values, bit for bit.
    @Test(arguments: [
        "f32.safetensors", "f16.safetensors", "bf16.safetensors", "i64.safetensors",
        "mixed.safetensors", "f8.safetensors", "metadata.safetensors",
        "sharded/model-00001-of-00002.safetensors", "sharded/model-00002-of-00002.safetensors",
    ])
    func readsFixtureExactly(_ name: String) throws {
        let expectation = try #require(try SafetensorsFixtures.expected().files[name])
        let file = try SafetensorsFile(contentsOf: SafetensorsFixtures.url(name))
        #expect(file.tensorNames == expectation.tensors.keys.sorted())
        #expect(file.metadata == expectation.metadata)
        for (tensorName, expected) in expectation.tensors {
            #expect(file.dtype(of: tensorName)?.rawValue == expected.dtype)
            #expect(file.shape(of: tensorName) == expected.shape)
            let tensor = try file.tensor(named: tensorName)
            #expect(tensor.shape == expected.shape)
            expectSameBits(tensor.scalars, expected.bits, "\(name):\(tensorName)")
        }
    }

    @Test func specificValues() throws {
        let f16 = try SafetensorsFile(contentsOf: SafetensorsFixtures.url("f16.safetensors")).tensor(named: "values")
        #expect(f16.shape == [4, 4])
        #expect(f16.scalars[2] == 0x1p-24)  // smallest subnormal
        #expect(f16.scalars[8] == 65504)
        #expect(f16.scalars[10] == .infinity)
        #expect(f16.scalars[1].sign == .minus && f16.scalars[1] == 0)
        let mixed = try SafetensorsFile(contentsOf: SafetensorsFixtures.url("mixed.safetensors"))
        #expect(try mixed.tensor(named: "a_bool").scalars == [1, 0, 1])
        #expect(try mixed.tensor(named: "c_i32").scalars == [-2_147_483_648, 2_147_483_648, 5])
        #expect(try mixed.tensor(named: "h_u32").scalars == [0, 4_294_967_296, 16_777_216])
        #expect(mixed.dtype(of: "i_u64") == .u64)
        let bf16 = try SafetensorsFile(contentsOf: SafetensorsFixtures.url("bf16.safetensors")).tensor(named: "values")
        #expect(bf16.scalars[5] == 1 && bf16.scalars[6] == -1 && bf16.scalars[15] == -123.5)
    }

    @Test func readingAgainAfterTheMappedPagesAreReleasedGivesTheSameValues() throws {
        // Three tensors over several pages, with boundaries inside pages: reading one releases its
        // pages (shared with its neighbours), and every later read must fault the same bytes back.
        let counts = [3000, 5001, 2999]
        var header = "{", data: [UInt8] = [], offset = 0
        for (index, count) in counts.enumerated() {
            header += (index > 0 ? "," : "") + #""t\#(index)":{"dtype":"F32","shape":[\#(count)],"data_offsets":[\#(offset),\#(offset + 4 * count)]}"#
            for element in 0..<count { withUnsafeBytes(of: Float(index * 10_000 + element).bitPattern.littleEndian) { data += $0 } }
            offset += 4 * count
        }
        header += "}"
        let directory = try TemporaryDirectory()
        let file = try SafetensorsFile(contentsOf: try directory.write(safetensorsBytes(header: header, data: data)))
        for round in 0..<2 {
            for (index, count) in counts.enumerated().reversed() {
                let values = try file.tensor(named: "t\(index)").scalars
                #expect(values == (0..<count).map { Float(index * 10_000 + $0) }, "round \(round), t\(index)")
            }
        }
    }

    @Test func metadataIsExposed() throws {
        let file = try SafetensorsFile(contentsOf: SafetensorsFixtures.url("metadata.safetensors"))
        #expect(file.metadata == ["format": "pt", "note": "line\nbreak \"quoted\" caf\u{e9}"])
        #expect(try file.tensor(named: "w").scalars == [1, 2])
    }

    @Test func nullMetadataMeansNone() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(safetensorsBytes(header: #"{"__metadata__":null,"x":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, data: [3, 250]))
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata.isEmpty)
        #expect(try file.tensor(named: "x").scalars == [3, 250])
    }

    @Test func scalarAndEmptyTensors() throws {
        let file = try SafetensorsFile(contentsOf: SafetensorsFixtures.url("f32.safetensors"))
        let scalar = try file.tensor(named: "scalar")
        #expect(scalar.shape == [] && scalar.scalars == [3.5])
        let empty = try file.tensor(named: "empty")
        #expect(empty.shape == [0, 4] && empty.scalars.isEmpty)
    }

    @Test func missingTensorNamesFileAndTensor() throws {
        let url = try SafetensorsFixtures.url("f32.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.shape(of: "nope") == nil && file.dtype(of: "nope") == nil)
        #expect(throws: TensorStoreError.missingTensor(name: "nope", store: url.path)) { try file.tensor(named: "nope") }
    }

    @Test func rawBytesAreTheStoredBytes() throws {
        let file = try SafetensorsFile(contentsOf: SafetensorsFixtures.url("bf16.safetensors"))
        let bytes = try file.withRawBytes(of: "values") { Array($0) }
        #expect(bytes.count == 32)
        #expect(Array(bytes[10...11]) == [0x80, 0x3F])  // 0x3F80 = 1.0, little-endian
    }

    /// An unpadded header puts the data at an odd address: elements must be read unaligned.
    @Test func readsUnalignedData() throws {
        let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"f":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"i":{"dtype":"I64","shape":[1],"data_offsets":[12,20]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[20,22]}}"#
        #expect((8 + header.utf8.count) % 2 == 1)
        var data: [UInt8] = [0x00, 0x3C, 0x00, 0xC0]  // float16 1, -2
        withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian) { data += $0 }
        withUnsafeBytes(of: Float(-0.25).bitPattern.littleEndian) { data += $0 }
        withUnsafeBytes(of: Int64(-42).littleEndian) { data += $0 }
        data += [0x49, 0x40]  // bfloat16 3.140625
        let directory = try TemporaryDirectory()
        let file = try SafetensorsFile(contentsOf: directory.write(safetensorsBytes(header: header, data: data)))
        #expect(try file.tensor(named: "h").scalars == [1, -2])
        #expect(try file.tensor(named: "f").scalars == [1.5, -0.25])
        #expect(try file.tensor(named: "i").scalars == [-42])
        #expect(try file.tensor(named: "b").scalars == [3.140625])
    }

    @Test func opensFromMemory() throws {
        let data = try Data(contentsOf: SafetensorsFixtures.url("i64.safetensors"))
        let file = try SafetensorsFile(data: data, label: "https://example.com/download.safetensors")
        #expect(file.label == "https://example.com/download.safetensors")
        #expect(throws: SafetensorsError.fileTooShort(file: "https://example.com/x", size: 3)) {
            try SafetensorsFile(data: Data([1, 2, 3]), label: "https://example.com/x")
        }
        #expect(try file.tensor(named: "ids").scalars == [-3, 0, 7, 1_099_511_627_776, 123_456_792, -4_611_686_018_427_387_904])
    }

    @Test func copiesShareTheMappingSafely() throws {
        var copy: SafetensorsFile?
        do {
            let file = try SafetensorsFile(contentsOf: SafetensorsFixtures.url("f32.safetensors"))
            copy = file
        }
        let tensor = try #require(copy).tensor(named: "matrix")
        #expect(tensor.scalars[0] == 1 && tensor.scalars[1] == -2.5)
    }
}
