#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One completion as the loss sees it: its reward and, per generated token, three log-probs.
public struct LossSequence: Sendable {
    public var reward: Double
    /// ℓ: log-probs under the policy being trained, `[T]`.
    public var logProbs: [Float]
    /// ℓ^old: log-probs under the policy that sampled (temperature 1), `[T]`.
    public var oldLogProbs: [Float]
    /// ℓ^ref: log-probs under the frozen reference policy, `[T]`; nil when the KL term is off.
    public var referenceLogProbs: [Float]?

    public init(reward: Double, logProbs: [Float], oldLogProbs: [Float], referenceLogProbs: [Float]? = nil) {
        self.reward = reward
        self.logProbs = logProbs
        self.oldLogProbs = oldLogProbs
        self.referenceLogProbs = referenceLogProbs
    }
}

/// The loss of one batch, its gradient with respect to every token's log-prob, and the diagnostics a person reads.
public struct LossResult: Sendable {
    public var loss: Double
    /// ∂loss/∂ℓ, shaped like the input groups: `[group][completion][token]`. Dropped groups get empty arrays.
    public var logProbGradients: [[[Float]]]
    /// ∂loss/∂λ for λ-GRPO's length preference (0 otherwise).
    public var lambdaGradient: Double
    /// Indices of groups dropped by dynamic sampling (all rewards equal).
    public var droppedGroups: [Int]
    /// Fraction of tokens whose ratio was clipped (the clipped branch chosen and outside the range).
    public var clipFraction: Double
    /// Mean k3 estimate of KL(old ‖ new) over tokens: how far the update has moved from the sampler.
    public var approximateKL: Double
    /// Mean k3 estimate of KL(ref ‖ new) over tokens (0 without a reference).
    public var referenceKL: Double
    /// Mean importance ratio exp(ℓ − ℓ^old) (untraced).
    public var meanRatio: Double
    public var tokenCount: Int
    public var sequenceCount: Int
}

/// The GRPO-family loss (GRPO, DAPO, Dr. GRPO, λ-GRPO, GRPO-λ, GSPO), configured by `LossConfiguration`.
///
/// Per token: loss = −min(ρ̃·Â, clip(ρ̃, 1−ε_low, 1+ε_high)·Â) + β·k3, with ρ̃ = exp(Δ̃), Δ̃ = W·(ℓ − ℓ^old)
/// (W = I unless GRPO-λ traces are on; GSPO's W has every entry 1/T) and k3 = exp(ℓ^ref − ℓ) − (ℓ^ref − ℓ) − 1; aggregated over the batch as
/// the configuration says. Computed in Double, returned as Float gradients. See ../shared/reference/ALGORITHMS.md.
public struct GRPOLoss: Sendable {
    public let configuration: LossConfiguration

    public init(_ configuration: LossConfiguration) {
        self.configuration = configuration
    }

    /// Whether a group's rewards carry no signal (all equal) — DAPO drops such groups.
    public static func isUniform(_ rewards: [Double]) -> Bool {
        guard let first = rewards.first else { return true }
        return rewards.allSatisfy { $0 == first }
    }

    /// Group advantages Â_i.
    public func advantages(_ rewards: [Double]) -> [Double] {
        let n = Double(rewards.count)
        let mean = rewards.reduce(0, +) / n
        var advantages = rewards.map { $0 - mean }
        if configuration.advantageScale == .standardDeviation {
            let std = (advantages.reduce(0) { $0 + $1 * $1 } / n).squareRoot()
            advantages = advantages.map { $0 / (std + configuration.standardDeviationEpsilon) }
        }
        if let floor = configuration.advantageClampMin {
            advantages = advantages.map { max($0, floor) }
        }
        return advantages
    }

    /// GSPO's W·x with W[t, j] = 1/T: every entry the mean of x.
    static func sequenceMean(_ x: [Double]) -> [Double] {
        guard !x.isEmpty else { return x }
        return [Double](repeating: x.reduce(0, +) / Double(x.count), count: x.count)
    }

    /// Loss and gradients for a batch of groups. `lambda` is λ-GRPO's current length preference.
    public func evaluate(_ groups: [[LossSequence]], lambda: Double = 0) -> LossResult {
        let c = configuration
        struct SequenceTerms { var group: Int, index: Int, loss: [Double], gradient: [Double], weight: Double, weightGradient: Double }
        var terms: [SequenceTerms] = []
        var dropped: [Int] = []
        var clipped = 0, tokens = 0
        var klOld = 0.0, klRef = 0.0, ratioSum = 0.0

        for (g, group) in groups.enumerated() {
            let rewards = group.map { sequence in
                sequence.reward + (c.overlongPenalty?.penalty(length: sequence.logProbs.count) ?? 0)
            }
            if c.dropUniformGroups && Self.isUniform(rewards) {
                dropped.append(g)
                continue
            }
            let advantage = advantages(rewards)
            let (weights, weightGradients) = c.aggregation == .learnedLengthPreference
                ? LengthPreferenceWeights.compute(lengths: group.map { $0.logProbs.count }, lambda: lambda,
                                                  rate: c.lengthPreference?.rate ?? 1.0 / 9.0)
                : ([Double](repeating: 1, count: group.count), [Double](repeating: 0, count: group.count))
            for (i, sequence) in group.enumerated() {
                let count = sequence.logProbs.count
                var delta = [Double](repeating: 0, count: count)
                for t in 0..<count { delta[t] = Double(sequence.logProbs[t]) - Double(sequence.oldLogProbs[t]) }
                let trace = c.trace.map { TraceOperator(count: count, trace: $0) }
                let traced = c.importanceRatio == .sequence ? Self.sequenceMean(delta) : trace?.apply(delta) ?? delta
                var loss = [Double](repeating: 0, count: count)
                var dTraced = [Double](repeating: 0, count: count)
                let a = advantage[i]
                for t in 0..<count {
                    let rho = exp(traced[t])
                    let unclipped = rho * a
                    let clippedValue = min(max(rho, 1 - c.clipLow), 1 + c.clipHigh) * a
                    if unclipped <= clippedValue {
                        loss[t] = -unclipped
                        dTraced[t] = -rho * a
                    } else {
                        loss[t] = -clippedValue
                        clipped += 1
                    }
                    let plainRatio = exp(delta[t])
                    ratioSum += plainRatio
                    klOld += plainRatio - 1 - delta[t]  // k3 of KL(old ‖ new) with log(old/new) = −Δ
                }
                // W is symmetric for GSPO (every entry 1/T), so Wᵀ·g is the same mean.
                var gradient = c.importanceRatio == .sequence
                    ? Self.sequenceMean(dTraced) : trace?.applyTransposed(dTraced) ?? dTraced
                if c.klCoefficient > 0, let reference = sequence.referenceLogProbs {
                    for t in 0..<count {
                        let d = Double(reference[t]) - Double(sequence.logProbs[t])
                        let k3 = exp(d) - d - 1
                        loss[t] += c.klCoefficient * k3
                        gradient[t] += c.klCoefficient * (1 - exp(d))
                        klRef += k3
                    }
                }
                tokens += count
                terms.append(SequenceTerms(group: g, index: i, loss: loss, gradient: gradient, weight: weights[i],
                                           weightGradient: weightGradients[i]))
            }
        }

        var gradients = groups.map { $0.map { _ in [Float]() } }
        var result = LossResult(loss: 0, logProbGradients: gradients, lambdaGradient: 0, droppedGroups: dropped,
                                clipFraction: 0, approximateKL: 0, referenceKL: 0, meanRatio: 0, tokenCount: tokens,
                                sequenceCount: terms.count)
        guard !terms.isEmpty else { return result }
        let sequences = Double(terms.count), allTokens = Double(max(tokens, 1))
        var loss = 0.0, lambdaGradient = 0.0
        for term in terms {
            let sum = term.loss.reduce(0, +)
            let scale: Double
            switch c.aggregation {
            case .sequenceMean: scale = 1 / (sequences * Double(max(term.loss.count, 1)))
            case .tokenMean: scale = 1 / allTokens
            case let .constantNormalizer(maxLength): scale = 1 / (sequences * Double(maxLength))
            case .learnedLengthPreference:
                scale = term.weight / allTokens
                lambdaGradient += term.weightGradient / allTokens * sum
            }
            loss += scale * sum
            gradients[term.group][term.index] = term.gradient.map { Float(scale * $0) }
        }
        result.loss = loss
        result.logProbGradients = gradients
        result.lambdaGradient = lambdaGradient
        result.clipFraction = Double(clipped) / allTokens
        result.approximateKL = klOld / allTokens
        result.referenceKL = klRef / allTokens
        result.meanRatio = ratioSum / allTokens
        return result
    }
}
