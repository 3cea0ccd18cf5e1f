import Testing
import KerasHubLayers

@Test func layersModuleReexportsTensor() throws {
    #expect(try Tensor(shape: [1], scalars: [2]).scalars == [2])
}
