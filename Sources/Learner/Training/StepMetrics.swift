/// What one learner step did, as written to metrics.jsonl and the run log. Names follow the cleanrl habit of
/// logging diagnostics next to the loss; the same names are used everywhere.
public struct StepMetrics: Sendable, Equatable, Codable {
    /// Wall-clock seconds per phase of the step.
    public struct PhaseSeconds: Sendable, Equatable, Codable {
        public var forwardBackward: Double = 0
        public var loss: Double = 0
        public var optimizer: Double = 0
        public var bookkeeping: Double = 0
        public var total: Double { forwardBackward + loss + optimizer + bookkeeping }
    }

    /// Learner steps completed, counting this one (the numbering of evaluations and checkpoints).
    public var step: Int = 0
    public var loss: Double = 0
    public var rewardMean: Double = 0
    public var rewardStd: Double = 0
    /// Fraction of completions the verifier judged correct.
    public var accuracy: Double = 0
    public var responseLengthMean: Double = 0
    public var responseLengthMax: Int = 0
    public var clipFraction: Double = 0
    /// k3 estimate of KL(sampler ‖ policy) over tokens.
    public var approximateKL: Double = 0
    /// k3 estimate of KL(reference ‖ policy), 0 without a reference.
    public var referenceKL: Double = 0
    /// Mean entropy (nats) of the policy at the scored positions.
    public var entropy: Double = 0
    /// Global gradient norm before clipping (last update of the step).
    public var gradientNorm: Double = 0
    public var learningRate: Double = 0
    /// λ-GRPO's learned length preference (nil for other methods).
    public var lengthPreferenceLambda: Double?
    public var groups: Int = 0
    public var completions: Int = 0
    public var tokens: Int = 0
    /// Groups of the batch whose rewards were all equal (zero advantage: no signal).
    public var uniformGroups: Int = 0
    /// Staleness (learner version − sampler version) of the groups used: mean and max.
    public var stalenessMean: Double = 0
    public var stalenessMax: Int = 0
    public var tokensPerSecond: Double = 0
    public var seconds = PhaseSeconds()
    /// Each optimisation pass over the batch (means over its minibatches): the first pass is where the ratio
    /// starts at exactly 1 and KL at 0, the later ones show how far the updates moved the policy.
    public var epochs: [EpochMetrics] = []

    /// What one pass over the batch saw.
    public struct EpochMetrics: Sendable, Equatable, Codable {
        public var loss: Double = 0
        public var clipFraction: Double = 0
        /// k3 KL(sampler ‖ policy) at the start of this pass's updates.
        public var approximateKL: Double = 0
        public var meanRatio: Double = 0
        /// Global gradient norm before clipping.
        public var gradientNorm: Double = 0
        public init() {}
    }

    public init() {}
}
