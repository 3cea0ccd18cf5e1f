import Foundation
import Testing
@testable import KerasHubTensor

@Suite struct HalfPrecisionTests {
    /// Rounding float32 to float16 / bfloat16 matches torch's `.half()` / `.bfloat16()` bit for bit.
    @Test func roundingMatchesTorch() throws {
        let rounding = try SafetensorsFixtures.expected().rounding
        #expect(rounding.inputs.count > 200)
        for (index, bits) in rounding.inputs.enumerated() {
            let value = Float(bitPattern: bits)
            #expect(HalfPrecision.float16Bits(value) == rounding.float16[index], "float16 of \(value) (0x\(String(bits, radix: 16)))")
            #expect(HalfPrecision.bfloat16Bits(value) == rounding.bfloat16[index], "bfloat16 of \(value) (0x\(String(bits, radix: 16)))")
        }
    }

    @Test func roundsTiesToEven() {
        #expect(HalfPrecision.float16Bits(1 + 0x1p-11) == 0x3C00)  // tie, even is down
        #expect(HalfPrecision.float16Bits(1 + 3 * 0x1p-11) == 0x3C02)  // tie, even is up
        #expect(HalfPrecision.float16Bits(65520) == 0x7C00)
        #expect(HalfPrecision.float16Bits(65519.996) == 0x7BFF)
        #expect(HalfPrecision.float16Bits(0x1p-25) == 0x0000)  // tie between 0 and the smallest subnormal
        #expect(HalfPrecision.float16Bits(0x1.8p-25) == 0x0001)
        #expect(HalfPrecision.bfloat16Bits(1 + 0x1p-8) == 0x3F80)
        #expect(HalfPrecision.bfloat16Bits(1 + 3 * 0x1p-8) == 0x3F82)
        #expect(HalfPrecision.bfloat16Bits(.greatestFiniteMagnitude) == 0x7F80)
    }

    @Test func nanStaysNaN() {
        #expect(HalfPrecision.float(fromFloat16Bits: HalfPrecision.float16Bits(.nan)).isNaN)
        #expect(HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(.nan)).isNaN)
        // A signalling NaN whose payload lives only in the low 16 bits must not become infinity.
        let quietless = Float(bitPattern: 0x7F80_0001)
        #expect(HalfPrecision.bfloat16Bits(quietless) == 0x7FC0)
        #expect(HalfPrecision.bfloat16Bits(-Float.nan) & 0x8000 == 0x8000)
    }

    /// Every one of the 65536 float16 patterns widens exactly as Swift's `Float16` does.
    @Test func widensEveryFloat16Pattern() {
        var bytes = [UInt8]()
        for bits in 0...UInt16.max { withUnsafeBytes(of: bits.littleEndian) { bytes += $0 } }
        let widened = bytes.withUnsafeBytes { HalfPrecision.floats(fromFloat16Bytes: $0) }
        var mismatches = 0
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = widened[Int(bits)]
            if expected.isNaN ? !actual.isNaN : actual.bitPattern != expected.bitPattern { mismatches += 1 }
            // Narrowing back is the identity on every non-NaN pattern.
            if !expected.isNaN && HalfPrecision.float16Bits(actual) != bits { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func widensBFloat16AndHandlesOddOffsets() {
        let bytes: [UInt8] = [0xFF, 0x80, 0x3F, 0x00, 0xC0]  // one junk byte, then 1.0 and -2.0
        let values = bytes.withUnsafeBytes { HalfPrecision.floats(fromBFloat16Bytes: UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(values == [1, -2])
    }

    @Test func narrowsBulkToLittleEndian() {
        let input: [Float] = [1, -2, 0.5]
        var f16 = [UInt8](repeating: 0, count: 6)
        var bf16 = [UInt8](repeating: 0, count: 6)
        input.withUnsafeBufferPointer { source in
            f16.withUnsafeMutableBytes { HalfPrecision.narrowToFloat16(source, into: $0) }
            bf16.withUnsafeMutableBytes { HalfPrecision.narrowToBFloat16(source, into: $0) }
        }
        #expect(f16 == [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38])
        #expect(bf16 == [0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F])
    }

    @Test func dtypeNamesAndSizes() {
        #expect(DType.allCases.map(\.rawValue) == ["float32", "float16", "bfloat16"])
        #expect(DType.allCases.map(\.safetensorsName) == ["F32", "F16", "BF16"])
        #expect(DType.allCases.map(\.byteSize) == [4, 2, 2])
        #expect(DType(.bf16) == .bfloat16 && DType(.f64) == nil)
        #expect(SafetensorsDType.allCases.count == 15)
        #expect(SafetensorsDType(rawValue: "F8_E4M3")?.byteSize == 1)
    }
}
