import Foundation

/// Whether a built-in preset can be loaded without the network.
public enum PresetAvailability {
    /// `bundled`, `cached`, or `remote`.
    public static func describe(_ preset: BuiltInPreset) -> String {
        if preset.bundled != nil { return "bundled" }
        return "remote"
    }
}
