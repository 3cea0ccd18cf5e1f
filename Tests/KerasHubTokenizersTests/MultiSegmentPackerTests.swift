import Testing
import KerasHubTokenizers

/// MultiSegmentPacker against hand-computed KerasHub expectations
/// (ids: [CLS]=101, [SEP]=102, a b c = 1 2 3, x y z = 11 12 13).
@Suite struct MultiSegmentPackerTests {
    let cls: Int32 = 101, sep: Int32 = 102

    @Test func trimsSingleInput() {
        let packer = MultiSegmentPacker(sequenceLength: 8, startValue: [1], endValue: [2])
        let packed = packer.pack([[3, 4, 5, 6, 7, 8, 9]])
        #expect(packed.tokenIds == [1, 3, 4, 5, 6, 7, 8, 2])
        #expect(packed.segmentIds == [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(packed.paddingMask == [Bool](repeating: true, count: 8))
    }

    @Test func roundRobin() {
        let packer = MultiSegmentPacker(sequenceLength: 7, startValue: [cls], endValue: [sep], truncate: .roundRobin)
        let packed = packer.pack([[1, 2, 3], [11, 12, 13]])
        #expect(packed.tokenIds == [cls, 1, 2, sep, 11, 12, sep])
        #expect(packed.segmentIds == [0, 0, 0, 0, 1, 1, 1])
    }

    @Test func roundRobinGivesOddTokenToFirstSegment() {
        let packer = MultiSegmentPacker(sequenceLength: 8, startValue: [cls], endValue: [sep])
        let packed = packer.pack([[1, 2, 3, 4], [11, 12, 13, 14]])
        #expect(packed.tokenIds == [cls, 1, 2, 3, sep, 11, 12, sep])
        #expect(packed.segmentIds == [0, 0, 0, 0, 0, 1, 1, 1])
    }

    @Test func roundRobinShortSegmentKeepsAll() {
        let packer = MultiSegmentPacker(sequenceLength: 9, startValue: [cls], endValue: [sep])
        // budget 9 - 4 = 5 over lengths [1, 6, 6]: levels give [1, 2, 2].
        let packed = packer.pack([[1], [11, 12, 13, 14, 15, 16], [21, 22, 23, 24, 25, 26]])
        #expect(packed.tokenIds == [cls, 1, sep, 11, 12, sep, 21, 22, sep])
        #expect(packed.segmentIds == [0, 0, 0, 1, 1, 1, 2, 2, 2])
    }

    @Test func waterfall() {
        let packer = MultiSegmentPacker(sequenceLength: 7, startValue: [cls], endValue: [sep], truncate: .waterfall)
        #expect(packer.pack([[1, 2, 3], [11, 12, 13]]).tokenIds == [cls, 1, 2, 3, sep, 11, sep])
        let batch = packer.packBatch([[[1, 2, 3], [11, 12, 13]], [[1, 2], [11, 12, 13]]])
        #expect(batch.map(\.tokenIds) == [[cls, 1, 2, 3, sep, 11, sep], [cls, 1, 2, sep, 11, 12, sep]])
        #expect(batch.map(\.segmentIds) == [[0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 1, 1, 1]])
    }

    @Test func padsWithSegmentZero() {
        let packer = MultiSegmentPacker(sequenceLength: 7, startValue: [cls], endValue: [sep], padValue: 0)
        let batch = packer.packBatch([[[1], [11]], [[1], [11, 12]]])
        #expect(batch.map(\.tokenIds) == [[cls, 1, sep, 11, sep, 0, 0], [cls, 1, sep, 11, 12, sep, 0]])
        #expect(batch.map(\.segmentIds) == [[0, 0, 0, 1, 1, 0, 0], [0, 0, 0, 1, 1, 1, 0]])
        #expect(batch[0].paddingMask == [true, true, true, true, true, false, false])
    }

    @Test func listSeparator() {
        let packer = MultiSegmentPacker(sequenceLength: 8, startValue: [0], endValue: [2], sepValue: [2, 2], padValue: 1)
        let batch = packer.packBatch([[[5, 6], [7, 8]], [[5, 6], [7]]])
        #expect(batch.map(\.tokenIds) == [[0, 5, 6, 2, 2, 7, 8, 2], [0, 5, 6, 2, 2, 7, 2, 1]])
        #expect(batch.map(\.segmentIds) == [[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 1, 1, 0]])
    }

    @Test func leftPadding() {
        let packer = MultiSegmentPacker(sequenceLength: 7, startValue: [cls], endValue: [sep], paddingSide: .left)
        let packed = packer.pack([[1], [11]])
        #expect(packed.tokenIds == [0, 0, cls, 1, sep, 11, sep])
        #expect(packed.segmentIds == [0, 0, 0, 0, 0, 1, 1])
        #expect(packed.paddingMask == [false, false, true, true, true, true, true])
    }

    @Test func withoutStartOrEndValue() {
        let packer = MultiSegmentPacker(sequenceLength: 6, startValue: [cls], endValue: [sep])
        #expect(packer.pack([[1, 2], [11]], addStartValue: false).tokenIds == [1, 2, sep, 11, sep, 0])
        #expect(packer.pack([[1, 2], [11]], addEndValue: false).tokenIds == [cls, 1, 2, sep, 11, 0])
    }

    @Test func emptySegments() {
        let packer = MultiSegmentPacker(sequenceLength: 5, startValue: [cls], endValue: [sep])
        let packed = packer.pack([[], []])
        #expect(packed.tokenIds == [cls, sep, sep, 0, 0])
        #expect(packed.segmentIds == [0, 0, 1, 0, 0])
    }
}
