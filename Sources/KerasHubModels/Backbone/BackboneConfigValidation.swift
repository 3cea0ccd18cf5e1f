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
