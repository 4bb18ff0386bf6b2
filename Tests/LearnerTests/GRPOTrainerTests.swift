import Foundation
import Policy
import Protocol
import Seeding
import Testing
import TestSupport
@testable import Learner

@Suite struct GRPOTrainerTests {
    static func trainer(_ loss: LossConfiguration, seed: UInt64 = 1) throws -> GRPOTrainer {
        let model = try Transformer(config: ToyTask.config, seed: seed)
        let reference = loss.needsReferencePolicy
            ? try Transformer(config: ToyTask.config, parameters: ParameterStore(copying: model.parameters)) : nil
        return try GRPOTrainer(model: model, reference: reference, configuration: TrainerConfiguration(
            loss: loss, schedule: .init(peak: 3e-3, totalSteps: 1_000), epochs: 2, minibatches: 1, seed: seed), threads: 1)
    }

    /// Trains 40 steps on the toy task's own samples; the mean reward of the first and of the last 5 steps.
    /// `check` sees every step's metrics and the batch's true mean reward.
    static func rewardTrend(_ trainer: GRPOTrainer, check: (StepMetrics, Double) -> Void) throws -> (first: Double, last: Double) {
        var first = 0.0, last = 0.0
        for step in 0..<40 {
            let groups = try ToyTask.groups(model: trainer.model, version: UInt64(step), seed: UInt64(step))
            let reward = ToyTask.meanReward(groups)
            if step < 5 { first += reward / 5 }
            if step >= 35 { last += reward / 5 }
            check(try trainer.train(on: groups, currentVersion: UInt64(step)), reward)
        }
        return (first, last)
    }

    /// A real learning test: the policy, trained by the learner on its own samples, raises its reward.
    @Test(arguments: [("grpo", LossConfiguration.grpo()), ("grpo_lambda", .grpoLambda(lambda: 0.9, traceFloor: 0.05)),
                      ("dapo", .dapo()), ("lambda_grpo", .lambdaGRPO(.init(initialLambda: 0.5, learningRate: 0.05))),
                      ("grpo_kl", .grpo(klCoefficient: 0.04))])
    func trainingOnItsOwnSamplesRaisesTheReward(name: String, loss: LossConfiguration) async throws {
        try await onDedicatedThread {
            var lambdas: [Double] = []
            let (first, last) = try Self.rewardTrend(try Self.trainer(loss)) { metrics, _ in
                #expect(metrics.loss.isFinite && metrics.gradientNorm.isFinite)
                if let l = metrics.lengthPreferenceLambda { lambdas.append(l) }
            }
            print("\(name): reward \(first) → \(last)")
            #expect(last > first + 0.25, "\(name): reward went from \(first) to \(last)")
            if loss.aggregation == .learnedLengthPreference {
                #expect(lambdas.count == 40)
                #expect(lambdas.first != lambdas.last, "λ never moved")
            }
        }
    }

    /// The shuffled-reward control: the same number and size of updates, no signal, so no learning.
    @Test func shuffledRewardsCarryNoSignal() async throws {
        try await onDedicatedThread {
            let real = try Self.trainer(.grpo())
            var config = real.configuration  // the learning test's update size and schedule
            config.shuffleRewards = true
            let trainer = try GRPOTrainer(model: try Transformer(config: ToyTask.config, seed: 1), configuration: config,
                                          threads: 1)
            let (first, last) = try Self.rewardTrend(trainer) { metrics, reward in
                // Metrics report the true rewards, not the shuffled ones.
                #expect(abs(metrics.rewardMean - reward) < 1e-6)
            }
            print("grpo, shuffled rewards: reward \(first) → \(last)")
            #expect(last < first + 0.1, "shuffled rewards went from \(first) to \(last)")
        }
    }

    @Test func metricsDescribeTheBatch() throws {
        let trainer = try Self.trainer(.grpo())
        var groups = try ToyTask.groups(model: trainer.model, version: 3, seed: 9)
        groups[0].policyVersion = 1
        let m = try trainer.train(on: groups, currentVersion: 3)
        #expect(m.groups == 3 && m.completions == 24)
        #expect(m.tokens > 24 && m.tokens <= 24 * 6 && m.responseLengthMax <= 6)
        #expect(m.stalenessMax == 2)
        #expect(m.entropy > 0 && m.entropy < log(16.0) + 1e-3)
        #expect(m.seconds.total > 0)
        #expect(trainer.step == 1)
    }

    @Test func microBatchedScoringGivesTheSameUpdate() throws {
        // Scoring in pieces (bounded memory) must not change the update.
        let whole = try Self.trainer(.grpoLambda())
        var config = whole.configuration
        config.microBatchTokens = 20
        let model = try Transformer(config: ToyTask.config, seed: 1)
        let pieces = try GRPOTrainer(model: model, configuration: config, threads: 1)
        let groups = try ToyTask.groups(model: whole.model, version: 0, seed: 5)
        let a = try whole.train(on: groups)
        let b = try pieces.train(on: groups)
        #expect(abs(a.loss - b.loss) < 1e-6)
        let wa = whole.model.parameters.values(of: "model.norm.weight")!
        let wb = pieces.model.parameters.values(of: "model.norm.weight")!
        #expect(zip(wa, wb).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func klWithoutAReferenceIsRefused() throws {
        let model = try Transformer(config: ToyTask.config, seed: 1)
        #expect(throws: LearnerError.self) {
            try GRPOTrainer(model: model, configuration: TrainerConfiguration(loss: .grpo(klCoefficient: 0.1)))
        }
    }
}

@Suite struct OnPolicyRatioTests {
    /// The sampler's temperature-1 log-probs are the learner's ℓ^old: scored again by the learner before any
    /// update, every ratio must be 1 (no clipping, zero KL). A mismatch would bias every GRPO step.
    @Test func samplerAndLearnerAgreeOnLogProbs() throws {
        let model = try Transformer(config: ToyTask.config, seed: 8)
        let trainer = try GRPOTrainer(model: model, configuration: TrainerConfiguration(loss: .grpo(), epochs: 1), threads: 1)
        let groups = try ToyTask.groups(model: model, version: 0, seed: 3)
        let m = try trainer.train(on: groups)
        #expect(m.clipFraction == 0)
        #expect(abs(m.approximateKL) < 1e-6, "first-pass KL(sampler ‖ learner) = \(m.approximateKL)")
    }
}
