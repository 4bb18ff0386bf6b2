import Policy

/// Everything that decides how a batch of groups becomes a policy update. Every field has a default that works
/// for the built-in curriculum; `grpo-lambda` fills it from the run config and flags.
public struct TrainerConfiguration: Sendable, Equatable, Codable {
    public var loss: LossConfiguration
    public var optimizer: AdamW.Configuration
    public var schedule: LearningRateSchedule
    /// Global gradient-norm clip.
    public var maxGradientNorm: Float
    /// Optimisation passes over each batch (PPO epochs); the importance ratio is always against the sampler.
    public var epochs: Int
    /// Optimizer updates per epoch: the batch's groups are shuffled and split into this many minibatches.
    public var minibatches: Int
    /// Forward/backward at most this many token positions at once; larger minibatches are scored in pieces
    /// (one extra forward, but bounded memory).
    public var microBatchTokens: Int
    /// Seed for the minibatch shuffles.
    public var seed: UInt64
    /// Control arm: rewards are permuted across the whole batch before advantages are computed, so each update
    /// has the size of a real one and none of its signal. Metrics still report the true rewards.
    public var shuffleRewards = false

    public init(loss: LossConfiguration = .grpoLambda(), optimizer: AdamW.Configuration = .init(weightDecay: 0),
                schedule: LearningRateSchedule = .init(peak: 3e-5, warmupSteps: 0, totalSteps: 1_000),
                maxGradientNorm: Float = 1, epochs: Int = 1, minibatches: Int = 1, microBatchTokens: Int = 32_768,
                seed: UInt64 = 0) {
        self.loss = loss
        self.optimizer = optimizer
        self.schedule = schedule
        self.maxGradientNorm = maxGradientNorm
        self.epochs = epochs
        self.minibatches = minibatches
        self.microBatchTokens = microBatchTokens
        self.seed = seed
    }

    private enum CodingKeys: String, CodingKey {
        case loss, optimizer, schedule, maxGradientNorm, epochs, minibatches, microBatchTokens, seed, shuffleRewards
    }

    /// Decodes configurations saved before `shuffleRewards` existed as not shuffled.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(loss: try c.decode(LossConfiguration.self, forKey: .loss),
                  optimizer: try c.decode(AdamW.Configuration.self, forKey: .optimizer),
                  schedule: try c.decode(LearningRateSchedule.self, forKey: .schedule),
                  maxGradientNorm: try c.decode(Float.self, forKey: .maxGradientNorm),
                  epochs: try c.decode(Int.self, forKey: .epochs), minibatches: try c.decode(Int.self, forKey: .minibatches),
                  microBatchTokens: try c.decode(Int.self, forKey: .microBatchTokens),
                  seed: try c.decode(UInt64.self, forKey: .seed))
        shuffleRewards = try c.decodeIfPresent(Bool.self, forKey: .shuffleRewards) ?? false
    }

    /// The first problem that makes the configuration unusable, or nil.
    public func validationError() -> String? {
        if let e = loss.validationError() { return e }
        if epochs < 1 { return "epochs must be ≥ 1, got \(epochs)" }
        if minibatches < 1 { return "minibatches must be ≥ 1, got \(minibatches)" }
        if microBatchTokens < 1 { return "micro_batch_tokens must be ≥ 1" }
        if !(maxGradientNorm > 0) { return "max_gradient_norm must be > 0" }
        if !(schedule.peak >= 0) || !schedule.peak.isFinite { return "learning rate must be ≥ 0 (0 is the no-update control)" }
        return nil
    }
}
