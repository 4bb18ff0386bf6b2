import Foundation
import Policy
import Primitives
import Protocol
import Seeding

/// Turns a batch of scored rollout groups into policy updates: the learner's `step()`.
///
/// Per step: the frozen reference is scored once (only when the KL coefficient is positive), then for each of
/// `epochs` passes the groups are shuffled into `minibatches`; each minibatch is scored (ℓ), the GRPO-family
/// loss gives ∂loss/∂ℓ for every token, the engine back-propagates it, the gradient is clipped and AdamW
/// updates the one parameter buffer. λ-GRPO's λ takes its own gradient step. Groups stay whole throughout
/// (advantages are per group). Not thread-safe: one trainer, one thread.
public final class GRPOTrainer {
    public let model: Transformer
    public let configuration: TrainerConfiguration
    public let loss: GRPOLoss
    private let scorer: SequenceScorer
    private let reference: (model: Transformer, scorer: SequenceScorer)?
    private let gradients: ParameterStore
    public let optimizer: AdamW
    /// Learner steps taken (one per `train(on:)`).
    public private(set) var step: Int
    /// λ-GRPO's length preference.
    public private(set) var lengthPreferenceLambda: Double
    /// The shuffling generator (its state goes into checkpoints).
    public private(set) var random: SeededGenerator

    /// `reference` is the frozen policy for the KL term (a copy of the initial weights); nil when β = 0.
    public init(model: Transformer, reference: Transformer? = nil, configuration: TrainerConfiguration,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        if let problem = configuration.validationError() { throw LearnerError.invalidConfiguration(problem) }
        if configuration.loss.needsReferencePolicy && reference == nil {
            throw LearnerError.invalidConfiguration("a KL coefficient > 0 needs a reference policy")
        }
        self.model = model
        self.configuration = configuration
        loss = GRPOLoss(configuration.loss)
        scorer = SequenceScorer(model: model, threads: threads)
        self.reference = configuration.loss.needsReferencePolicy
            ? reference.map { ($0, SequenceScorer(model: $0, threads: threads)) } : nil
        gradients = ParameterStore(layout: model.layout)
        optimizer = try AdamW(layout: model.layout, configuration: configuration.optimizer, threads: threads)
        step = 0
        lengthPreferenceLambda = configuration.loss.lengthPreference?.initialLambda ?? 0
        random = SeededGenerator(seed: configuration.seed)
    }

    /// Restores the counters a checkpoint carries (the optimizer restores its own moments).
    public func restore(step: Int, lengthPreferenceLambda: Double, random: SeededGenerator) {
        self.step = step
        self.lengthPreferenceLambda = lengthPreferenceLambda
        self.random = random
    }

    /// One learner step on `groups` (already validated). `currentVersion` is the learner's weight version, for
    /// the staleness metrics.
    public func train(on batch: [RolloutGroup], currentVersion: UInt64 = 0) throws -> StepMetrics {
        guard !batch.isEmpty else { throw LearnerError.emptyBatch }
        let groups = configuration.shuffleRewards ? withShuffledRewards(batch) : batch
        let clock = ContinuousClock()
        let start = clock.now
        var metrics = StepMetrics()
        var phases = StepMetrics.PhaseSeconds()

        // Reference log-probs, once per batch (only with a KL term).
        var referenceLogProbs: [[[Float]]]?
        if let reference {
            let t0 = clock.now
            referenceLogProbs = try scoreAll(groups, with: reference.scorer)
            phases.forwardBackward += (clock.now - t0).seconds
        }

        var entropySum = 0.0, entropyCount = 0
        var lastResult: LossResult?
        for epoch in 0..<configuration.epochs {
            let parts = minibatches(groupCount: groups.count)
            var pass = StepMetrics.EpochMetrics()
            for minibatch in parts {
                let batchGroups = minibatch.map { groups[$0] }
                let reference = referenceLogProbs.map { refs in minibatch.map { refs[$0] } }
                let r = try update(batchGroups, reference: reference, wantEntropy: epoch == 0, phases: &phases,
                                   entropySum: &entropySum, entropyCount: &entropyCount, metrics: &metrics)
                lastResult = r
                let share = 1 / Double(parts.count)
                pass.loss += r.loss * share
                pass.clipFraction += r.clipFraction * share
                pass.approximateKL += r.approximateKL * share
                pass.meanRatio += r.meanRatio * share
                pass.gradientNorm += metrics.gradientNorm * share
            }
            metrics.epochs.append(pass)
        }

        let t0 = clock.now
        summarize(batch, into: &metrics, currentVersion: currentVersion)
        if let lastResult {
            metrics.loss = lastResult.loss
            metrics.clipFraction = lastResult.clipFraction
            metrics.approximateKL = lastResult.approximateKL
            metrics.referenceKL = lastResult.referenceKL
        }
        metrics.entropy = entropyCount > 0 ? entropySum / Double(entropyCount) : 0
        if configuration.loss.aggregation == .learnedLengthPreference { metrics.lengthPreferenceLambda = lengthPreferenceLambda }
        step += 1
        metrics.step = step
        phases.bookkeeping += (clock.now - t0).seconds
        let elapsed = (clock.now - start).seconds
        phases.bookkeeping += max(0, elapsed - phases.total)
        metrics.seconds = phases
        metrics.tokensPerSecond = elapsed > 0 ? Double(metrics.tokens * configuration.epochs) / elapsed : 0
        return metrics
    }

    /// One optimizer update on a minibatch of groups.
    private func update(_ groups: [RolloutGroup], reference: [[[Float]]]?, wantEntropy: Bool,
                        phases: inout StepMetrics.PhaseSeconds, entropySum: inout Double, entropyCount: inout Int,
                        metrics: inout StepMetrics) throws -> LossResult {
        let clock = ContinuousClock()
        var t0 = clock.now
        let layout = SequenceLayout(groups)
        gradients.zero()
        // Score everything (ℓ), keeping activations when the minibatch fits in one forward.
        let fitsOnce = layout.positions <= configuration.microBatchTokens
        var logProbs = [Float](repeating: 0, count: layout.scoredTokens)
        for piece in layout.pieces(maxPositions: fitsOnce ? .max : configuration.microBatchTokens) {
            let scores = try scorer.forward(piece.batch, entropy: wantEntropy, keepActivations: fitsOnce)
            logProbs.replaceSubrange(piece.flatRange, with: scores.logProbs)
            if let e = scores.entropies {
                entropySum += e.reduce(0) { $0 + Double($1) }
                entropyCount += e.count
            }
        }
        phases.forwardBackward += (clock.now - t0).seconds

        t0 = clock.now
        let lossInput = layout.lossSequences(groups, logProbs: logProbs, reference: reference)
        let result = loss.evaluate(lossInput, lambda: lengthPreferenceLambda)
        let flatGradients = layout.flatten(result.logProbGradients)
        phases.loss += (clock.now - t0).seconds

        t0 = clock.now
        if fitsOnce {
            if !flatGradients.isEmpty { try scorer.backward(logProbGradients: flatGradients, into: gradients) }
        } else {
            for piece in layout.pieces(maxPositions: configuration.microBatchTokens) {
                _ = try scorer.forward(piece.batch, keepActivations: true)
                try scorer.backward(logProbGradients: Array(flatGradients[piece.flatRange]), into: gradients)
            }
        }
        phases.forwardBackward += (clock.now - t0).seconds

        t0 = clock.now
        let norm = gradients.clipGlobalNorm(maxNorm: configuration.maxGradientNorm)
        let learningRate = configuration.schedule.learningRate(at: optimizer.step)
        try optimizer.update(parameters: model.parameters, gradients: gradients, learningRate: learningRate)
        if let preference = configuration.loss.lengthPreference {
            lengthPreferenceLambda -= preference.learningRate * result.lambdaGradient
        }
        metrics.gradientNorm = Double(norm)
        metrics.learningRate = Double(learningRate)
        phases.optimizer += (clock.now - t0).seconds
        return result
    }

    /// Reference-policy log-probs `[group][completion][token]` (forward only, no activations kept).
    private func scoreAll(_ groups: [RolloutGroup], with scorer: SequenceScorer) throws -> [[[Float]]] {
        let layout = SequenceLayout(groups)
        var logProbs = [Float](repeating: 0, count: layout.scoredTokens)
        for piece in layout.pieces(maxPositions: configuration.microBatchTokens) {
            logProbs.replaceSubrange(piece.flatRange, with: try scorer.forward(piece.batch, keepActivations: false).logProbs)
        }
        return layout.unflatten(logProbs, groups)
    }

    /// The control arm's batch: the same completions with the batch's rewards permuted among them.
    private func withShuffledRewards(_ groups: [RolloutGroup]) -> [RolloutGroup] {
        var rewards = groups.flatMap { $0.completions.map(\.reward) }
        rewards.shuffle(using: &random)
        var next = 0
        return groups.map { group in
            var group = group
            for i in group.completions.indices {
                group.completions[i].reward = rewards[next]
                next += 1
            }
            return group
        }
    }

    /// Splits group indices into `minibatches` shuffled, near-equal parts.
    private func minibatches(groupCount: Int) -> [[Int]] {
        var order = Array(0..<groupCount)
        if configuration.minibatches > 1 { order.shuffle(using: &random) }
        let parts = min(configuration.minibatches, groupCount)
        return (0..<parts).map { p in Array(order[(p * groupCount / parts)..<((p + 1) * groupCount / parts)]) }
    }

    private func summarize(_ groups: [RolloutGroup], into m: inout StepMetrics, currentVersion: UInt64) {
        let completions = groups.flatMap(\.completions)
        let rewards = completions.map { Double($0.reward) }
        let n = Double(max(rewards.count, 1))
        m.groups = groups.count
        m.uniformGroups = groups.filter { GRPOLoss.isUniform($0.completions.map { Double($0.reward) }) }.count
        m.completions = completions.count
        m.rewardMean = rewards.reduce(0, +) / n
        m.rewardStd = (rewards.reduce(0) { $0 + ($1 - m.rewardMean) * ($1 - m.rewardMean) } / n).squareRoot()
        m.accuracy = Double(completions.filter(\.correct).count) / n
        m.tokens = completions.reduce(0) { $0 + $1.tokens.count }
        m.responseLengthMean = Double(m.tokens) / n
        m.responseLengthMax = completions.map(\.tokens.count).max() ?? 0
        let staleness = groups.map { currentVersion >= $0.policyVersion ? Int(currentVersion - $0.policyVersion) : 0 }
        m.stalenessMean = Double(staleness.reduce(0, +)) / Double(max(staleness.count, 1))
        m.stalenessMax = staleness.max() ?? 0
    }
}
