import Foundation
@testable import KerasHubModels
import KerasHubTensor
import Testing

/// One random transformers checkpoint from `Fixtures/<name>/` (written by Tools/make_model_fixtures.py):
/// its config, weights, input cases and transformers' outputs.
struct ModelFixture {
    struct Case: Decodable {
        var name: String
        var inputIds: [[Int32]]
        var attentionMask: [[Int32]]
        var tokenTypeIds: [[Int32]]?

        enum CodingKeys: String, CodingKey {
            case name, inputIds = "input_ids", attentionMask = "attention_mask", tokenTypeIds = "token_type_ids"
        }

        func batch() throws -> TokenBatch {
            try TokenBatch(
                tokenIds: inputIds, paddingMask: attentionMask.map { $0.map { $0 != 0 } }, segmentIds: tokenTypeIds)
        }
    }

    let directory: URL
    let config: TransformersConfig
    let cases: [Case]
    let expected: SafetensorsFile

    static var root: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw FixtureError.missing("Fixtures")
            }
            return url
        }
    }

    init(_ name: String) throws {
        directory = try Self.root.appendingPathComponent(name)
        config = try TransformersConfig(contentsOf: directory.appendingPathComponent("config.json"))
        cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: directory.appendingPathComponent("cases.json")))
        expected = try SafetensorsFile(contentsOf: directory.appendingPathComponent("expected.safetensors"))
    }

    var weightsURL: URL { directory.appendingPathComponent("model.safetensors") }

    func checkpoint() throws -> any TensorStore { try SafetensorsFile(contentsOf: weightsURL) }

    /// The backbone this checkpoint describes, through the model's transformers mapping.
    func backbone() throws -> Backbone {
        let store = try checkpoint()
        let origin = weightsURL.lastPathComponent
        let file = directory.appendingPathComponent("config.json").path
        guard let family = ModelFamilies.family(modelType: config.modelType) else {
            throw FixtureError.missing("model type \(config.modelType)")
        }
        return try family.makeBackbone(transformersConfig: config.object, file: file, checkpoint: store, origin: origin)
    }

    func expectedTensor(_ caseIndex: Int, _ key: String) throws -> Tensor {
        try expected.tensor(named: "case\(caseIndex).\(key)")
    }
}

enum FixtureError: Error { case missing(String) }

/// The largest |a - b| over the rows of `[batch, length, width]` tensors where `mask` is set.
func maxDifference(_ actual: Tensor, _ expected: Tensor, mask: [[Int32]]? = nil) -> Float {
    guard actual.shape == expected.shape else { return .infinity }
    let width = actual.shape.last ?? 1
    var worst: Float = 0
    let flatMask = mask?.flatMap { $0 }
    let (actual, expected) = (actual.scalars, expected.scalars)
    for row in 0..<(actual.count / max(width, 1)) where flatMask.map({ $0[row] != 0 }) ?? true {
        for column in 0..<width {
            let index = row * width + column
            let difference = abs(actual[index] - expected[index])
            if !(difference <= worst) { worst = difference }  // NaN counts as worst
        }
    }
    return worst
}
