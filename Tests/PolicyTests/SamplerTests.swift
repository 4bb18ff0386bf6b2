import Foundation
import Seeding
import Testing
@testable import Policy

@Suite struct SamplerTests {
    /// Prefill + one-token steps through the KV cache reproduce PyTorch's cached continuation logits.
    @Test(arguments: ["llama-tiny", "qwen2-tiny"])
    func cacheContinuationMatchesPyTorch(name: String) throws {
        let reference = try ReferenceModel(name)
        let sampler = Sampler(model: try reference.model(), threads: 2)
        let rows = try sampler.forcedLogits(prompt: reference.sequences[0], continuation: reference.continuation)
        let expected = try reference.expected.floats("kv_continuation_logits")
        #expect(toleranceRatio(Array(rows[1...].joined()), expected) <= 1)
        let full = try reference.expected.floats("logits.0")
        let v = reference.config.vocabSize
        #expect(toleranceRatio(rows[0], Array(full[(full.count - v)...])) <= 1)
    }

    /// Log-probs recorded while sampling with the cache equal a full forward over prompt + completion.
    @Test func policyLogProbsMatchFullForward() throws {
        let model = try Transformer(config: .samplerTest, seed: 5, standardDeviation: 0.1)
        let prompts: [[Int32]] = [[3, 1, 4, 1, 5], [9, 2, 6, 5, 3, 5, 8, 9, 7]]
        let options = SamplingOptions(temperature: 0.8, topP: 0.95, maxNewTokens: 12)
        let completions = try Sampler(model: model, threads: 2).sample(prompts: prompts, completionsPerPrompt: 3,
                                                                        options: options, seed: 11)
        #expect(completions.count == 6)
        let scorer = SequenceScorer(model: model, threads: 2)
        let scores = try scorer.forward(TokenBatch(prompts: completions.map { prompts[$0.promptIndex] },
                                                   completions: completions.map(\.tokens)))
        for (index, completion) in completions.enumerated() {
            #expect(completion.tokens.count == 12 && completion.finishReason == .length)
            let full = Array(scores.logProbs(ofSequence: index))
            #expect(toleranceRatio(completion.policyLogProbs, full, rtol: 1e-4, atol: 2e-5) <= 1)
            // Truncation and temperature only ever make a sampled token more likely than under the policy… or
            // less: but its sampling log-prob must be a valid log-probability.
            #expect(completion.samplingLogProbs.allSatisfy { $0 <= 1e-6 && $0.isFinite })
        }
    }

    /// The same seed gives the same completions; another seed gives others.
    @Test func seededSamplingRepeats() throws {
        let model = try Transformer(config: .samplerTest, seed: 6, standardDeviation: 0.1)
        let sampler = Sampler(model: model, threads: 2)
        let options = SamplingOptions(temperature: 1, topK: 20, maxNewTokens: 16)
        let first = try sampler.sample(prompts: [[1, 2, 3]], completionsPerPrompt: 4, options: options, seed: 42)
        let again = try sampler.sample(prompts: [[1, 2, 3]], completionsPerPrompt: 4, options: options, seed: 42)
        let other = try sampler.sample(prompts: [[1, 2, 3]], completionsPerPrompt: 4, options: options, seed: 43)
        #expect(first == again)
        #expect(first.map(\.tokens) != other.map(\.tokens))
        // The completions of one group draw from different streams.
        #expect(Set(first.map(\.tokens)).count > 1)
    }

    /// Greedy decoding follows the argmax of a full forward, and temperature → 0 sampling equals greedy.
    @Test func temperatureToZeroIsGreedy() throws {
        let model = try Transformer(config: .samplerTest, seed: 7, standardDeviation: 0.1)
        let sampler = Sampler(model: model, threads: 1)
        let prompt: [Int32] = [4, 8, 15, 16, 23, 42]
        let greedy = try sampler.sample(prompts: [prompt], options: .greedy(maxNewTokens: 10), seed: 1)[0]
        let cold = try sampler.sample(prompts: [prompt], completionsPerPrompt: 3,
                                      options: SamplingOptions(temperature: 1e-6, maxNewTokens: 10), seed: 2)
        for completion in cold { #expect(completion.tokens == greedy.tokens) }
        #expect(greedy.samplingLogProbs.allSatisfy { $0 == 0 })

        let v = model.config.vocabSize
        let logits = try SequenceScorer(model: model).logits(of: prompt + greedy.tokens.dropLast())
        for (step, token) in greedy.tokens.enumerated() {
            let row = logits[((prompt.count - 1 + step) * v)..<((prompt.count + step) * v)]
            #expect(row.firstIndex(of: row.max()!)! - row.startIndex == Int(token))
        }
    }

    /// Stop token ids end a completion (kept, with its log-probs); stop strings end it once the decoded text
    /// contains them.
    @Test func stopTokensAndStopStrings() throws {
        let model = try Transformer(config: .samplerTest, seed: 8, standardDeviation: 0.1)
        let sampler = Sampler(model: model, threads: 1)
        let prompt: [Int32] = [1, 3, 5, 7]
        let free = try sampler.sample(prompts: [prompt], options: .greedy(maxNewTokens: 12), seed: 0)[0]
        let stop = free.tokens[4]
        let stopped = try sampler.sample(prompts: [prompt], options: .greedy(maxNewTokens: 12, stopTokenIDs: [stop]),
                                         seed: 0)[0]
        let firstStop = free.tokens.firstIndex(of: stop)!
        #expect(stopped.tokens == Array(free.tokens[...firstStop]))
        #expect(stopped.finishReason == .stopToken(stop))
        #expect(stopped.policyLogProbs == Array(free.policyLogProbs[...firstStop]))

        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let decode = { (tokens: [Int32]) in String(tokens.map { letters[Int($0) % 26] }) }
        let text = decode(free.tokens)
        let needle = String(Array(text)[5...6])
        var options = SamplingOptions.greedy(maxNewTokens: 12)
        options.stopStrings = ["not-there", needle]
        let byString = try sampler.sample(prompts: [prompt], options: options, seed: 0, decode: decode)[0]
        #expect(byString.finishReason == .stopString(needle))
        #expect(decode(byString.tokens).hasSuffix(needle))
        #expect(!decode(Array(byString.tokens.dropLast())).contains(needle))
    }

    /// Requests the sampler cannot serve get typed errors.
    @Test func badRequestsAreRefused() throws {
        let model = try Transformer(config: .samplerTest, seed: 9)
        let sampler = Sampler(model: model, threads: 1)
        let v = model.config.vocabSize, limit = model.config.maxPositionEmbeddings
        #expect(throws: EngineError.tokenOutOfRange(sequence: 1, position: 2, token: v, vocabSize: v)) {
            try sampler.sample(prompts: [[1], [1, 2, Int32(v)]], options: .init(maxNewTokens: 4), seed: 0)
        }
        #expect(throws: EngineError.tokenOutOfRange(sequence: 0, position: 0, token: -1, vocabSize: v)) {
            try sampler.sample(prompts: [[-1]], options: .init(maxNewTokens: 4), seed: 0)
        }
        #expect(throws: EngineError.sequenceTooLong(sequence: 0, length: limit + 1, limit: limit)) {
            try sampler.sample(prompts: [Array(repeating: 1, count: limit - 2)], options: .init(maxNewTokens: 4),
                               seed: 0)
        }
        #expect(throws: EngineError.sequenceTooLong(sequence: 0, length: Int.max, limit: limit)) {
            try sampler.sample(prompts: [[1, 2]], options: .init(maxNewTokens: Int.max), seed: 0)
        }
        #expect(throws: EngineError.sequenceTooShort(sequence: 0, length: 0, minimum: 1)) {
            try sampler.sample(prompts: [[]], options: .init(maxNewTokens: 4), seed: 0)
        }
        #expect(throws: EngineError.emptyBatch) { try sampler.sample(prompts: [], options: .init(), seed: 0) }
        for bad in [SamplingOptions(temperature: -1), SamplingOptions(topP: 0), SamplingOptions(topP: 1.5),
                    SamplingOptions(topK: -2), SamplingOptions(maxNewTokens: 0), SamplingOptions(temperature: .nan)] {
            #expect(throws: EngineError.self) { try sampler.sample(prompts: [[1]], options: bad, seed: 0) }
        }
        #expect(throws: EngineError.self) {
            try sampler.sample(prompts: [[1]], options: .init(maxNewTokens: 3, stopStrings: ["x"]), seed: 0)
        }
    }
}

extension ModelConfig {
    /// A small random model for sampler and scorer tests: 2 layers, grouped-query heads, Qwen2 biases.
    static let samplerTest = ModelConfig(architecture: .qwen2, vocabSize: 50, hiddenSize: 32, intermediateSize: 48,
                                         numLayers: 2, numHeads: 4, numKVHeads: 2, maxPositionEmbeddings: 64)
}
