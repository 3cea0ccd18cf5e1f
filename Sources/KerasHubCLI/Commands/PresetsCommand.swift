import ArgumentParser
import Foundation
import KerasHub

/// `keras-hub presets`: the built-in presets.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets", abstract: "List the built-in presets: name, parameters, description, cached or not.")

    func run() throws {
        for preset in PresetRegistry.builtIn.presets {
            let value: JSONValue = .object([
                "name": .string(preset.name),
                "class_name": .string(preset.className),
                "parameters": .number(Double(preset.parameters)),
                "description": .string(preset.description),
                "source": .string("hf://\(preset.source.repository)@\(preset.source.revision)"),
                "kerashub_handle": preset.kerasHubHandle.map(JSONValue.string) ?? .null,
                "available": .string(PresetAvailability.describe(preset)),
            ])
            Terminal.output(JSONOutput.line(value))
        }
    }
}
