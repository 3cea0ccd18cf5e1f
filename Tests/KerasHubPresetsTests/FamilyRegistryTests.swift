import Foundation
import KerasHubModels
@testable import KerasHubPresets
import Testing

/// Every registered family is reachable through the built-in presets, and every built-in preset's
/// architecture builds offline (`loadWeights: false`) to KerasHub's published parameter count.
@Suite struct FamilyRegistryTests {
    @Test func everyFamilyHasABuiltInPresetAndEveryPresetAFamily() throws {
        let registry = PresetRegistry.builtIn
        for family in ModelFamilies.builtIn {
            let presets = registry.presets.filter { $0.className == family.backboneClassName }
            #expect(!presets.isEmpty, "family \(family.name) has no built-in preset")
            #expect(!family.tasks.isEmpty, "family \(family.name) has no task")
            #expect(family.backboneClassName == "\(family.backboneType)")
            for task in family.tasks {
                #expect(task.className == "\(task.taskType)", "\(task.className) is registered as \(task.taskType)")
            }
        }
        for preset in registry.presets {
            let family = try #require(ModelFamilies.family(backboneClassName: preset.className), "\(preset.name)")
            #expect(TokenizerClasses.named(preset.tokenizer.className) != nil, "\(preset.name): \(preset.tokenizer.className)")
            for task in preset.tasks {
                #expect(family.tasks.contains { $0.className == task }, "\(preset.name): \(task) is not a task of \(family.name)")
            }
        }
        // Class names are unique across families (KerasHub resolves them by name).
        let names = ModelFamilies.builtIn.map(\.backboneClassName) + ModelFamilies.allTasks.map(\.className)
        #expect(Set(names).count == names.count)
    }

    /// Built from the registry's config with random weights: the class, the sizes, and the parameter
    /// count KerasHub publishes. Presets over 5M parameters are checked through small variants of
    /// their config (a backbone's count is a sum of a part linear in its layers and a part linear in
    /// its vocabulary), so the test stays fast.
    @Test(arguments: PresetRegistry.builtIn.presets.map(\.name))
    func builtInPresetBuildsOfflineToKerasHubsParameterCount(name: String) throws {
        let preset = try #require(PresetRegistry.builtIn.preset(named: name))
        let family = try #require(ModelFamilies.family(backboneClassName: preset.className))
        guard preset.bundled == nil else {
            // Its weights ship with the package: reading them is faster than drawing them.
            let backbone = try Backbone.fromPreset(name)
            #expect(backbone.parameterCount == preset.parameters)
            return
        }
        let config = try #require(preset.config, "\(name) has no backbone config in the registry")
        if preset.parameters <= 5_000_000 {
            let backbone = try Backbone.fromPreset(name, loadWeights: false)
            #expect(type(of: backbone) == family.backboneType)
            #expect(backbone.parameterCount == preset.parameters)
            #expect(backbone.hiddenDim == config["hidden_dim"]?.intValue)
            #expect(backbone.vocabularySize == config["vocabulary_size"]?.intValue)
            #expect(backbone.maxSequenceLength == config["max_sequence_length"]?.intValue)
            return
        }
        let layers = try #require(config["num_layers"]?.intValue), vocabulary = try #require(config["vocabulary_size"]?.intValue)
        func count(layers: Int, vocabulary: Int) throws -> Int {
            var small = config
            small["num_layers"] = .number(Double(layers))
            small["vocabulary_size"] = .number(Double(vocabulary))
            let backbone = try family.makeBackbone(kerasHubConfig: small, file: name, weights: .zeros())
            #expect(type(of: backbone) == family.backboneType)
            return backbone.parameterCount
        }
        let base = try count(layers: 1, vocabulary: 8)
        let perLayer = try count(layers: 2, vocabulary: 8) - base
        let perToken = try count(layers: 1, vocabulary: 9) - base
        #expect(base + (layers - 1) * perLayer + (vocabulary - 8) * perToken == preset.parameters, "\(name)")
    }
}
