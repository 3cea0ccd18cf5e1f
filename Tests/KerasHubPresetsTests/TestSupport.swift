import Foundation
@testable import KerasHubPresets
import KerasHubTensor
import Testing

/// Test tiers of DESIGN §5: the large tier runs when `KERAS_HUB_RUN_LARGE=1`.
enum Tier {
    static let large = ProcessInfo.processInfo.environment["KERAS_HUB_RUN_LARGE"] == "1"
}

/// Paths in the source checkout (tests always run from it).
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The random transformers checkpoints of the models tests.
    static func modelFixture(_ name: String) -> URL {
        root.appendingPathComponent("Tests/KerasHubModelsTests/Fixtures").appendingPathComponent(name)
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory(_ label: String = "kh") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The largest |a - b| over rows where `mask` (flattened `[batch, length]`) is set; NaN is infinite.
func maxDifference(_ actual: Tensor, _ expected: Tensor, rowMask: [Bool]? = nil) -> Float {
    guard actual.shape == expected.shape else { return .infinity }
    let width = actual.shape.last ?? 1
    var worst: Float = 0
    let rows = actual.count / max(width, 1)
    let (actual, expected) = (actual.scalars, expected.scalars)
    for row in 0..<rows where rowMask?[row] ?? true {
        for column in 0..<width {
            let difference = abs(actual[row * width + column] - expected[row * width + column])
            if !(difference <= worst) { worst = difference }
        }
    }
    return worst
}
