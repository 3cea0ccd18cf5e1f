import Foundation
@testable import KerasHubLayers
import KerasHubModels
@testable import KerasHubPresets
import Testing

/// What the NaN/Inf check costs on the bundled preset's load (large tier; prints its figures).
@Suite(.enabled(if: Tier.large, "large tier: set KERAS_HUB_RUN_LARGE=1"))
struct WeightCheckCostTests {
    @Test func nonFiniteScanIsASmallPartOfLoading() throws {
        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var backbone: Backbone?
        var loads: [Double] = []
        for _ in 0..<3 { loads.append(try seconds { backbone = try Backbone.fromPreset("all_minilm_l6_v2_en") }) }
        let weights = try #require(backbone).namedWeights.values.map(\.scalars)
        var scans: [Double] = []
        for _ in 0..<3 {
            scans.append(seconds { for scalars in weights { #expect(WeightSource.firstNonFiniteIndex(scalars) == nil) } })
        }
        let load = loads.min() ?? 0, scan = scans.min() ?? 0
        print("bundled preset: load \(String(format: "%.3f", load)) s (best of 3, scan included), scan of \(weights.reduce(0) { $0 + $1.count }) weights \(String(format: "%.4f", scan)) s = \(String(format: "%.1f", 100 * scan / load)) % of the load")
        #expect(scan < load)
    }
}
