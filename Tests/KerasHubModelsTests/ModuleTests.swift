import Testing
import KerasHubModels

@Test func modelsModuleReexportsTensor() throws {
    #expect(try Tensor(shape: [1], scalars: [3]).scalars == [3])
}
