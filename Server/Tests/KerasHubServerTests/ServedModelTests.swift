import KerasHubServer
import Testing

/// Which endpoint a preset gets.
@Suite struct ServedModelTests {
    @Test func causalLMPresetServesCompletionsAndEmbedderPresetEmbeddings() throws {
        #expect(try ServedModel.load(preset: Repository.gpt2CausalLM).endpoint == "completions")
        #expect(try ServedModel.load(preset: Repository.bundledPreset).endpoint == "embeddings")
    }

    @Test func presetWithoutTokenizerIsRefused() throws {
        let idOnly = Repository.path("Tests/KerasHubModelsTests/Fixtures/gpt2_lm")
        #expect {
            try ServedModel.load(preset: idOnly)
        } throws: { error in
            "\(error)".contains("has no tokenizer") && "\(error)".contains("gpt2_lm")
        }
    }
}
