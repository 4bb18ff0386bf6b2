import Policy
import Protocol
import Seeding

/// A verifiable toy task small enough for a test: from a fixed prompt, completions of 6 tokens over a
/// 16-token vocabulary (token 15 ends a completion early, so lengths vary); the reward is the fraction of tokens
/// equal to `target`. A random policy scores ~1/16.
struct ToyTask {
    static let config = ModelConfig(vocabSize: 16, hiddenSize: 32, intermediateSize: 64, numLayers: 2, numHeads: 4,
                                    numKVHeads: 2, maxPositionEmbeddings: 64)
    static let target: Int32 = 7
    static let prompts: [[Int32]] = [[1, 2, 3], [4, 5], [6, 8, 9, 10]]
    static let groupSize = 8
    static let sampling = SamplingOptions(temperature: 1, maxNewTokens: 6, stopTokenIDs: [15])

    /// Samples one group per prompt with the model's current weights and scores it.
    static func groups(model: Transformer, version: UInt64, seed: UInt64) throws -> [RolloutGroup] {
        let completions = try Sampler(model: model, threads: 1).sample(prompts: prompts, completionsPerPrompt: groupSize,
                                                                       options: sampling, seed: seed)
        return prompts.enumerated().map { p, prompt in
            let mine = completions[(p * groupSize)..<((p + 1) * groupSize)]
            return RolloutGroup(
                leaseID: UInt64(p), promptIndex: UInt64(p), workerID: "test", policyVersion: version, prompt: "",
                promptTokens: WireArray(prompt), goldAnswer: "", temperature: 1, topP: 1, topK: 0, maxNewTokens: 6,
                generationSeconds: 0,
                completions: mine.map { c in
                    let hits = c.tokens.filter { $0 == target }.count
                    let reward = Float(hits) / Float(max(c.tokens.count, 1))
                    return ScoredCompletion(tokens: WireArray(c.tokens), samplerLogProbs: WireArray(c.samplingLogProbs),
                                            policyLogProbs: WireArray(c.policyLogProbs), finishReason: c.tokens.last == 15 ? .stopToken : .length, reward: reward,
                                            correct: hits == c.tokens.count, verdict: "toy", text: "")
                })
        }
    }

    static func meanReward(_ groups: [RolloutGroup]) -> Double {
        let rewards = groups.flatMap(\.completions).map { Double($0.reward) }
        return rewards.reduce(0, +) / Double(rewards.count)
    }
}
