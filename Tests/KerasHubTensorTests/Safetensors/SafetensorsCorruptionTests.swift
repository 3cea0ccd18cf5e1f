import Foundation
import Testing
@testable import KerasHubTensor

/// Each malformed file fails with its own error case, naming the file (and tensor), never crashing.
@Suite struct SafetensorsCorruptionTests {
    /// Writes `bytes` to a temporary file and returns the error of opening it.
    private func openError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> (SafetensorsError, String) {
        let directory = try TemporaryDirectory()
        let url = try directory.write(bytes)
        do {
            _ = try SafetensorsFile(contentsOf: url)
        } catch let error as SafetensorsError {
            #expect(error.description.hasPrefix(url.path + ": "), "\(error)", sourceLocation: sourceLocation)
            return (error, url.path)
        }
        Issue.record("opening the file did not fail", sourceLocation: sourceLocation)
        return (.noCheckpoint(directory: ""), url.path)
    }

    private let f32Entry = #""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

    @Test func emptyFile() throws {
        let (error, path) = try openError([])
        #expect(error == .fileTooShort(file: path, size: 0))
    }

    @Test func shorterThanEightBytes() throws {
        let (error, path) = try openError([1, 0, 0, 0, 0])
        #expect(error == .fileTooShort(file: path, size: 5))
    }

    @Test func headerLongerThanFile() throws {
        let (error, path) = try openError(safetensorsBytes(header: "{}", declaredLength: 100))
        #expect(error == .headerLengthExceedsFile(file: path, headerLength: 100, fileSize: 10))
    }

    @Test func hugeHeaderLengthDoesNotOverflow() throws {
        for length in [UInt64.max, UInt64(Int.max), UInt64(Int.max) - 7, 100_000_001] {
            let (error, path) = try openError(safetensorsBytes(header: "{}", declaredLength: length))
            #expect(error == .headerTooLarge(file: path, headerLength: length, limit: 100_000_000))
        }
    }

    @Test func headerNotUTF8() throws {
        let (error, path) = try openError(safetensorsBytes(headerBytes: [0x7B, 0xFF, 0xFE, 0x7D]))
        #expect(error == .headerNotUTF8(file: path))
    }

    @Test func headerNotJSON() throws {
        let (error, path) = try openError(safetensorsBytes(header: "{not json}"))
        guard case .headerNotJSON(let file, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(file == path)
    }

    /// A header naming a tensor twice is refused (python safetensors refuses the first file too:
    /// "invalid offset for tensor `q`"); a decoder keeping the first of the two would have loaded it.
    @Test func duplicateTensorNames() throws {
        let q = #""q":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
        let k = #""k":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}"#
        let escapedQ = #""q":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}"#
        for header in ["{\(q),\(k),\(escapedQ)}", "{\(k), \(q) , \(q.replacingOccurrences(of: "[0,8]", with: "[8,16]"))}"] {
            let (error, path) = try openError(safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 16)))
            #expect(error == .duplicateTensorName(file: path, tensor: "q"), "header \(header)")
        }
        // The same name inside `__metadata__` and as a tensor is not a duplicate.
        let directory = try TemporaryDirectory()
        let url = try directory.write(safetensorsBytes(
            header: #"{"__metadata__":{"q":"x","k":"y"},"# + q + "}", data: [UInt8](repeating: 0, count: 8)))
        #expect(try SafetensorsFile(contentsOf: url).tensorNames == ["q"])
    }

    @Test func headerNotAnObject() throws {
        for header in ["[1, 2]", "\"text\"", "  {}", ""] {
            let (error, path) = try openError(safetensorsBytes(header: header))
            #expect(error == .headerNotObject(file: path), "header \(header)")
        }
    }

    @Test func unknownDType() throws {
        let (error, path) = try openError(safetensorsBytes(header: #"{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#, data: .init(repeating: 0, count: 16)))
        #expect(error == .unknownDType(file: path, tensor: "a", dtype: "F128"))
        #expect(error.description.contains("'a' has unknown dtype 'F128'"))
    }

    @Test func negativeDimension() throws {
        let (error, path) = try openError(safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8)))
        #expect(error == .negativeDimension(file: path, tensor: "a", shape: [-1, 2]))
    }

    @Test func shapeProductOverflow() throws {
        let shape = [1 << 40, 1 << 40]
        let (error, path) = try openError(safetensorsBytes(header: #"{"big":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8)))
        #expect(error == .shapeOverflow(file: path, tensor: "big", shape: shape))
        // The byte count overflows even when the element count does not.
        let (byteError, bytePath) = try openError(safetensorsBytes(header: #"{"big":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#, data: .init(repeating: 0, count: 8)))
        #expect(byteError == .shapeOverflow(file: bytePath, tensor: "big", shape: [1 << 61]))
    }

    @Test func byteCountMismatch() throws {
        let (error, path) = try openError(safetensorsBytes(header: #"{"a.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#, data: .init(repeating: 0, count: 12)))
        #expect(error == .byteCountMismatch(file: path, tensor: "a.weight", offsets: [0, 12], dtype: .f32, shape: [2, 2], expectedBytes: 16))
        #expect(error.description == "\(path): tensor 'a.weight' data_offsets [0, 12] hold 12 bytes, but F32 shape [2, 2] needs 16")
    }

    @Test func offsetsPastEnd() throws {
        let (error, path) = try openError(safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: .init(repeating: 0, count: 8)))
        #expect(error == .offsetsPastEnd(file: path, tensor: "a", offsets: [0, 16], bufferSize: 8))
    }

    @Test func offsetsBeyondIntAreRejected() throws {
        let (error, path) = try openError(safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,18446744073709551615]}}"#))
        guard case .invalidEntry(let file, let tensor, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(file == path && tensor == "a")
    }

    @Test func malformedOffsets() throws {
        for offsets in [[8, 4], [0], [-4, 4], [0, 4, 8]] {
            let text = offsets.map(String.init).joined(separator: ",")
            let (error, path) = try openError(safetensorsBytes(header: #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[\#(text)]}}"#, data: .init(repeating: 0, count: 8)))
            #expect(error == .invalidDataOffsets(file: path, tensor: "a", offsets: offsets))
        }
    }

    @Test func overlappingTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let (error, path) = try openError(safetensorsBytes(header: header, data: .init(repeating: 0, count: 12)))
        #expect(error == .overlappingTensors(file: path, first: "a", firstOffsets: [0, 8], second: "b", secondOffsets: [4, 12]))
    }

    @Test func sameRangeTwiceOverlaps() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let (error, path) = try openError(safetensorsBytes(header: header, data: .init(repeating: 0, count: 8)))
        #expect(error == .overlappingTensors(file: path, first: "a", firstOffsets: [0, 8], second: "b", secondOffsets: [0, 8]))
    }

    @Test func holeBetweenTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let (error, path) = try openError(safetensorsBytes(header: header, data: .init(repeating: 0, count: 12)))
        #expect(error == .unindexedBytes(file: path, begin: 4, end: 8))
    }

    @Test func trailingBytes() throws {
        let (error, path) = try openError(safetensorsBytes(header: "{\(f32Entry)}", data: .init(repeating: 0, count: 11)))
        #expect(error == .unindexedBytes(file: path, begin: 8, end: 11))
    }

    @Test func invalidMetadata() throws {
        let (error, path) = try openError(safetensorsBytes(header: #"{"__metadata__":{"n":1}}"#))
        guard case .invalidMetadata(let file, _) = error else { Issue.record("unexpected \(error)"); return }
        #expect(file == path)
    }

    @Test func entryMissingAField() throws {
        let (error, path) = try openError(safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[1]}}"#))
        guard case .invalidEntry(let file, let tensor, let reason) = error else { Issue.record("unexpected \(error)"); return }
        #expect(file == path && tensor == "a" && reason.contains("data_offsets"))
    }

    @Test func entryOfWrongType() throws {
        for entry in ["1", "\"F32\"", #"{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}"#, #"{"dtype":"F32","shape":[true],"data_offsets":[0,4]}"#] {
            let (error, path) = try openError(safetensorsBytes(header: #"{"a":\#(entry)}"#, data: [0, 0, 0, 0]))
            guard case .invalidEntry(let file, let tensor, _) = error else { Issue.record("unexpected \(error) for \(entry)"); continue }
            #expect(file == path && tensor == "a")
        }
    }

    @Test func missingOrUnreadableFile() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("absent.safetensors")
        #expect(throws: SafetensorsError.unreadableFile(file: missing.path, reason: "No such file or directory")) {
            try SafetensorsFile(contentsOf: missing)
        }
        #expect(throws: SafetensorsError.unreadableFile(file: directory.url.path, reason: "not a regular file")) {
            try SafetensorsFile(contentsOf: directory.url)
        }
    }

    /// Random byte flips of a valid file either open (and read) or throw, never trap.
    @Test func randomCorruptionNeverCrashes() throws {
        let original = [UInt8](try Data(contentsOf: SafetensorsFixtures.url("mixed.safetensors")))
        var generator = SplitMix64(seed: 42)
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<3 {
                let index = Int(generator.next() % UInt64(bytes.count < 200 ? bytes.count : 200))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next() % 4 == 0 { bytes.removeLast(Int(generator.next() % 64)) }
            if let file = try? SafetensorsFile(data: Data(bytes), label: "fuzz") {
                for name in file.tensorNames { _ = try file.tensor(named: name) }
            }
        }
    }
}

/// A small deterministic random number generator for the fuzz test.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
