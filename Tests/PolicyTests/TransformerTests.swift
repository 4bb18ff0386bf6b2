import Foundation
import Testing
@testable import Policy

/// Model directories written by `transformers` itself (`Fixtures/make_transformers_models.py`): real
/// `config.json` spellings, `save_pretrained` safetensors, llama3 RoPE scaling.
@Suite struct TransformerTests {
    struct Fixture {
        let model: Transformer
        let tokens: [Int32]
        let logits: [Float]
        let greedy: [Int32]
        let greedyLogProbs: [Float]
        let inverseFrequencies: [Float]?

        init(_ name: String) throws {
            let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/transformers-models/\(name)")
            let config = try ModelConfig(huggingFaceConfigURL: directory.appendingPathComponent("config.json"))
            model = try Transformer(config: config, weights: SafetensorsArchive(url: directory))
            let data = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            let floats = { (key: String) in (json[key] as? [Double])?.map(Float.init) }
            tokens = (json["tokens"] as? [Int] ?? []).map(Int32.init)
            logits = floats("logits") ?? []
            greedy = (json["greedy"] as? [Int] ?? []).map(Int32.init)
            greedyLogProbs = floats("greedy_logprobs") ?? []
            inverseFrequencies = floats("inv_freq")
        }
    }

    @Test(arguments: ["qwen2", "llama3"])
    func logitsAndGreedyGenerationMatchTransformers(name: String) throws {
        let fixture = try Fixture(name)
        let logits = try SequenceScorer(model: fixture.model, threads: 2).logits(of: fixture.tokens)
        #expect(toleranceRatio(logits, fixture.logits) <= 1)

        let completion = try Sampler(model: fixture.model, threads: 2)
            .sample(prompts: [fixture.tokens], options: .greedy(maxNewTokens: fixture.greedy.count), seed: 0)[0]
        #expect(completion.tokens == fixture.greedy)
        #expect(toleranceRatio(completion.policyLogProbs, fixture.greedyLogProbs) <= 1)
    }

    /// llama3 scaling leaves high frequencies, divides low ones by the factor and smooths the band between:
    /// the fixture's frequencies cover all three regimes.
    @Test func llama3RopeFrequenciesMatchTransformers() throws {
        let fixture = try Fixture("llama3")
        let expected = try #require(fixture.inverseFrequencies)
        #expect(toleranceRatio(fixture.model.rotary.inverseFrequencies, expected, rtol: 1e-6, atol: 0) <= 1)
    }
}
