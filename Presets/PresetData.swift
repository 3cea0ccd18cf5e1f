import Foundation

/// The files shipped in `Presets/`: the built-in registry (`registry.json`), the bundled
/// all-MiniLM-L6-v2 preset, and the vocabularies of the built-in presets.
public enum PresetData {
    /// The resource bundle holding those files; found next to the executable or library, so it
    /// works from any working directory and when this package is a dependency.
    public static var bundle: Bundle { Bundle.module }

    /// The URL of a shipped file or folder, such as `registry.json` or `all_minilm_l6_v2_en`.
    public static func url(for name: String) -> URL? {
        bundle.url(forResource: name, withExtension: nil)
    }
}
