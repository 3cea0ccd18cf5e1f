/// Checks of backbone hyperparameters, shared by ``BertBackboneConfig`` and ``TransformerBackboneConfig``:
/// a negative size cannot describe a model, and would otherwise reach an allocation (a trap) when
/// weights are drawn at random.
enum BackboneConfigValidation {
    /// Throws for the first negative size, naming its config key.
    /// - Throws: ``ConfigError/invalid(file:reason:)``.
    static func check(_ sizes: KeyValuePairs<String, Int>, file: String) throws {
        for (key, value) in sizes where value < 0 {
            throw ConfigError.invalid(file: file, reason: "'\(key)' is negative (\(value))")
        }
    }
}

extension BertBackboneConfig {
    /// Checks that every size is non-negative.
    /// - Parameter file: the config's file, for the error message.
    /// - Throws: ``ConfigError/invalid(file:reason:)`` naming the key.
    public func validate(file: String = "BertBackbone config") throws {
        try BackboneConfigValidation.check(
            ["vocabulary_size": vocabularySize, "num_layers": numLayers, "num_heads": numHeads, "hidden_dim": hiddenDim,
             "intermediate_dim": intermediateDim, "max_sequence_length": maxSequenceLength, "num_segments": numSegments],
            file: file)
    }
}
