import Foundation
import Policy
import TestSupport

/// One of `../shared/reference/models/{llama-tiny,qwen2-tiny}`: the model and PyTorch's expected outputs
/// (see `make_models.py` there).
struct ReferenceModel {
    let config: ModelConfig
    let weights: SafetensorsArchive
    let expected: SafetensorsArchive
    /// The two token sequences of `expected.json`, and the 3-token KV-cache continuation of the first.
    let sequences: [[Int32]]
    let continuation: [Int32]

    init(_ name: String, weightsFile: String = "model.safetensors") throws {
        let directory = try SharedReference.url("models/\(name)")
        config = try ModelConfig(huggingFaceConfigURL: directory.appendingPathComponent("config.json"))
        weights = try SafetensorsArchive(url: directory.appendingPathComponent(weightsFile))
        expected = try SafetensorsArchive(url: directory.appendingPathComponent("expected.safetensors"))
        let expectedJSON = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
        let json = try JSONSerialization.jsonObject(with: expectedJSON)
        let object = json as? [String: Any] ?? [:]
        sequences = (object["sequences"] as? [[Int]] ?? []).map { $0.map(Int32.init) }
        continuation = (object["kv_continuation_tokens"] as? [Int] ?? []).map(Int32.init)
    }

    func model() throws -> Transformer { try Transformer(config: config, weights: weights) }
}

/// The largest `|a − b| / (atol + rtol·|b|)` over two arrays: ≤ 1 means every element is within tolerance.
func toleranceRatio(_ actual: [Float], _ expected: [Float], rtol: Float = 1e-4, atol: Float = 1e-5) -> Float {
    precondition(actual.count == expected.count, "compared arrays differ in length")
    var worst: Float = 0
    for (a, b) in zip(actual, expected) {
        let ratio = abs(a - b) / (atol + rtol * abs(b))
        worst = max(worst, ratio.isNaN ? .infinity : ratio)
    }
    return worst
}
