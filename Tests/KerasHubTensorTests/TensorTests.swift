import Testing
@testable import KerasHubTensor

@Suite struct TensorTests {
    @Test func rejectsElementCountMismatch() {
        #expect(throws: TensorError.elementCountMismatch(shape: [2, 3], count: 5)) {
            try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5])
        }
    }

    @Test func subscriptIsRowMajor() throws {
        let tensor = try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(tensor[1, 0] == 3)
        #expect(tensor[0, 2] == 2)
        #expect(tensor.rank == 2 && tensor.count == 6)
    }

    @Test func copiesAreIndependent() throws {
        let original = try Tensor(shape: [2], scalars: [1, 2])
        var copy = original
        copy[0] = 7
        #expect(original[0] == 1)
        #expect(copy[0] == 7)
    }

    @Test func reshapeKeepsElements() throws {
        let tensor = try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]).reshaped([3, 2])
        #expect(tensor.shape == [3, 2])
        #expect(tensor[2, 1] == 5)
        #expect(throws: TensorError.self) { try tensor.reshaped([4, 2]) }
    }
}
