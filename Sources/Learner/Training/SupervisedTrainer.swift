import Foundation
import Policy
import Seeding

/// Supervised warm-start (SFT): next-token cross-entropy on the completion part of prompt/completion pairs,
/// averaged over all completion tokens of the batch, with AdamW. GRPO-λ's paper warm-starts before RL, and a
/// tiny model needs it to produce answers worth rewarding at all.
public final class SupervisedTrainer {
    public struct Configuration: Sendable, Equatable, Codable {
        public var optimizer: AdamW.Configuration
        public var schedule: LearningRateSchedule
        public var maxGradientNorm: Float

        public init(optimizer: AdamW.Configuration = .init(weightDecay: 0.01),
                    schedule: LearningRateSchedule = .init(peak: 1e-3, minimum: 1e-4, warmupSteps: 20, totalSteps: 2_000),
                    maxGradientNorm: Float = 1) {
            self.optimizer = optimizer
            self.schedule = schedule
            self.maxGradientNorm = maxGradientNorm
        }
    }

    /// One example: the prompt's ids (context, not scored) and the target completion's ids (scored).
    public struct Example: Sendable, Equatable {
        public var prompt: [Int32]
        public var completion: [Int32]
        public init(prompt: [Int32], completion: [Int32]) {
            self.prompt = prompt
            self.completion = completion
        }
    }

    public let model: Transformer
    public let configuration: Configuration
    public let optimizer: AdamW
    private let scorer: SequenceScorer
    private let gradients: ParameterStore
    public private(set) var step = 0

    public init(model: Transformer, configuration: Configuration = Configuration(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        self.model = model
        self.configuration = configuration
        optimizer = try AdamW(layout: model.layout, configuration: configuration.optimizer, threads: threads)
        scorer = SequenceScorer(model: model, threads: threads)
        gradients = ParameterStore(layout: model.layout)
    }

    /// One update on `examples`; returns the mean cross-entropy (nats per completion token) before the update.
    @discardableResult
    public func train(on examples: [Example]) throws -> Double {
        let batch = TokenBatch(prompts: examples.map(\.prompt), completions: examples.map(\.completion))
        guard batch.scoredTokenCount > 0 else { throw LearnerError.emptyBatch }
        let scores = try scorer.forward(batch)
        let n = Float(scores.logProbs.count)
        let loss = -scores.logProbs.reduce(0) { $0 + Double($1) } / Double(n)
        gradients.zero()
        try scorer.backward(logProbGradients: [Float](repeating: -1 / n, count: scores.logProbs.count), into: gradients)
        gradients.clipGlobalNorm(maxNorm: configuration.maxGradientNorm)
        try optimizer.update(parameters: model.parameters, gradients: gradients,
                             learningRate: configuration.schedule.learningRate(at: step))
        step += 1
        return loss
    }
}
