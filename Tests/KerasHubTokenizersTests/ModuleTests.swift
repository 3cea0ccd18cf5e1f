import Testing
import KerasHubTokenizers

@Test func tokenizersModuleLinks() {
    #expect(String(describing: KerasHubTokenizers.self) == "KerasHubTokenizers")
}
