import Foundation
import KerasHubModels
@testable import KerasHubPresets
import Testing

@Suite struct CausalLMPresetTests {
    @Test func textGenerationRoundTripsThroughThePreprocessor() throws {
        let tokenizer = try GPT2Tokenizer.fromPreset("gpt2_base_en")
        let backbone = try GPT2Backbone(vocabularySize: 50257, numLayers: 1, numHeads: 2, hiddenDim: 8, intermediateDim: 16, maxSequenceLength: 64)
        let model = GPT2CausalLM(backbone: backbone, preprocessor: GPT2CausalLMPreprocessor(tokenizer: tokenizer))
        let prompts = try #require(model.preprocessor?.prompts(["The quick brown fox.", "Hi"]))
        #expect(prompts[0] == [50256, 464, 2068, 7586, 21831, 13])
        var steps = 0
        let texts = try model.generate(["The quick brown fox.", "Hi"], maxLength: 12) { _ in steps += 1 }
        #expect(texts[0].hasPrefix("The quick brown fox."))
        #expect(texts[1].hasPrefix("Hi"))
        #expect(steps >= 1)
        #expect(throws: TaskError.noPreprocessor("GPT2CausalLM")) { try GPT2CausalLM(backbone: backbone).generate(["x"], maxLength: 4) }
    }

    @Test func fromPresetOnATransformersCheckpointHasNoPreprocessorWithoutVocabulary() throws {
        let model = try GPT2CausalLM.fromPreset(Repository.modelFixture("gpt2_lm").path)
        #expect(model.preprocessor == nil)
        #expect(model.vocabularySize == 160)
        #expect(throws: PresetError.self) { try GPT2CausalLM.fromPreset(Repository.modelFixture("bert_a").path) }
    }
}
