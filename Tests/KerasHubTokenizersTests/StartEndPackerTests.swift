import Testing
import KerasHubTokenizers

/// StartEndPacker against hand-computed KerasHub expectations.
@Suite struct StartEndPackerTests {
    @Test func padsUnbatchedInput() {
        let packer = StartEndPacker(sequenceLength: 7, startValue: [1], endValue: [2])
        let packed = packer.pack([5, 6, 7])
        #expect(packed.tokenIds == [1, 5, 6, 7, 2, 0, 0])
        #expect(packed.paddingMask == [true, true, true, true, true, false, false])
        #expect(packed.segmentIds == [0, 0, 0, 0, 0, 0, 0])
    }

    @Test func truncatesBatchToFitDelimiters() {
        let packer = StartEndPacker(sequenceLength: 6, startValue: [1], endValue: [2])
        let packed = packer.packBatch([[5, 6, 7], [8, 9, 10, 11, 12, 13, 14]])
        #expect(packed.map(\.tokenIds) == [[1, 5, 6, 7, 2, 0], [1, 8, 9, 10, 11, 2]])
        #expect(packed[1].paddingMask == [Bool](repeating: true, count: 6))
    }

    @Test func multipleStartValuesAndPadValue() {
        let packer = StartEndPacker(sequenceLength: 6, startValue: [2, 1], endValue: [2], padValue: 9)
        #expect(packer.pack([10, 11, 12]).tokenIds == [2, 1, 10, 11, 12, 2])
        #expect(packer.pack([10]).tokenIds == [2, 1, 10, 2, 9, 9])
    }

    @Test func noDelimiters() {
        let packer = StartEndPacker(sequenceLength: 4)
        #expect(packer.pack([5, 6, 7, 8, 9]).tokenIds == [5, 6, 7, 8])
        #expect(packer.pack([5]).tokenIds == [5, 0, 0, 0])
    }

    @Test func leftPadding() {
        let packer = StartEndPacker(sequenceLength: 7, startValue: [1], endValue: [2], paddingSide: .left)
        let packed = packer.pack([5, 6, 7])
        #expect(packed.tokenIds == [0, 0, 1, 5, 6, 7, 2])
        #expect(packed.paddingMask == [false, false, true, true, true, true, true])
    }

    @Test func callOverrides() {
        let packer = StartEndPacker(sequenceLength: 5, startValue: [1], endValue: [2])
        #expect(packer.pack([5, 6, 7], addStartValue: false).tokenIds == [5, 6, 7, 2, 0])
        #expect(packer.pack([5, 6, 7, 8, 9], addEndValue: false).tokenIds == [1, 5, 6, 7, 8])
        #expect(packer.pack([5, 6, 7], sequenceLength: 3).tokenIds == [1, 5, 2])
        #expect(packer.pack([5, 6, 7], sequenceLength: 8).tokenIds == [1, 5, 6, 7, 2, 0, 0, 0])
    }

    @Test func tinyLengthFollowsPythonSlicing() {
        // truncation length 1 - 2 = -1, so `x[:-1]` keeps [5, 6]; [1, 5, 6, 2] is then cut to 1.
        let packer = StartEndPacker(sequenceLength: 1, startValue: [1], endValue: [2])
        #expect(packer.pack([5, 6, 7]).tokenIds == [1])
        #expect(packer.pack([]).tokenIds == [1])
    }
}
