/// The GRPO-family objective as data: every method is a setting of these fields, computed by one `GRPOLoss`.
///
/// Formulas follow ../shared/reference/ALGORITHMS.md. Presets: `.grpo`, `.dapo`, `.drGRPO(maxLength:)`,
/// `.lambdaGRPO()`, `.grpoLambda(lambda:)`, `.gspo()`.
public struct LossConfiguration: Sendable, Equatable, Codable {
    /// How group rewards become advantages.
    public enum AdvantageScale: String, Sendable, Codable {
        /// (r − mean r) / (std r + ε_std), population std (GRPO, DAPO, λ-GRPO, GRPO-λ).
        case standardDeviation = "std"
        /// r − mean r (Dr. GRPO).
        case none
    }

    /// How per-token losses are summed into the batch loss.
    public enum Aggregation: Sendable, Equatable, Codable {
        /// Mean over each sequence's tokens, then mean over sequences (GRPO, GRPO-λ).
        case sequenceMean
        /// Sum over all tokens / total tokens (DAPO).
        case tokenMean
        /// Sum over all tokens / (sequences × a constant generation length) (Dr. GRPO).
        case constantNormalizer(maxLength: Int)
        /// Token sum with each sequence weighted by λ-GRPO's learnable length preference, / total tokens.
        case learnedLengthPreference
    }

    /// Where the importance ratio is taken.
    public enum ImportanceRatio: String, Sendable, Codable {
        /// One ratio per token, exp(Δ̃_t) (every method but GSPO).
        case token
        /// GSPO: one ratio per sequence, exp of the mean log-ratio over its tokens (the geometric mean of the
        /// token ratios) — the trace matrix with every entry 1/T.
        case sequence
    }

    /// GRPO-λ's eligibility trace over token log-ratios (ALGORITHMS.md, "GRPO-λ eligibility traces").
    public struct EligibilityTrace: Sendable, Equatable, Codable {
        /// Which earlier tokens a token's traced log-ratio weighs.
        public enum Style: String, Sendable, Codable, CaseIterable {
            /// W[t, j] = (γλ)^(t−j): the classic trace.
            case recent
            /// W[t, j] = (γλ)^j: weight on the beginning of the completion.
            case early
            /// W[t, j] = max((γλ)^(t−j), (γλ)^j): both ends.
            case both
        }

        public var lambda: Double
        public var gamma: Double
        public var style: Style
        /// ε-trace: entries below the diagonal floored at this value (0 = off).
        public var floor: Double

        public init(lambda: Double, gamma: Double = 1, style: Style = .recent, floor: Double = 0) {
            self.lambda = lambda
            self.gamma = gamma
            self.style = style
            self.floor = floor
        }

        /// The trace decay γλ.
        public var decay: Double { gamma * lambda }
    }

    /// λ-GRPO's learnable length preference: weights G·softmax(h^λ) with h = max(1 + r·z, 1e-6), z the
    /// standardised length in the group; λ is learned with its own step size.
    public struct LengthPreference: Sendable, Equatable, Codable {
        public var initialLambda: Double
        /// The paper's r (1/9).
        public var rate: Double
        /// Learning rate of λ's own gradient step.
        public var learningRate: Double

        public init(initialLambda: Double = 0, rate: Double = 1.0 / 9.0, learningRate: Double = 0.01) {
            self.initialLambda = initialLambda
            self.rate = rate
            self.learningRate = learningRate
        }
    }

    /// DAPO's soft overlong punishment: completions longer than `maxLength − cacheLength` tokens lose reward
    /// linearly, down to −1 at `maxLength`, so truncated rambling is discouraged without a cliff.
    public struct OverlongPenalty: Sendable, Equatable, Codable {
        public var maxLength: Int
        public var cacheLength: Int

        public init(maxLength: Int, cacheLength: Int) {
            self.maxLength = maxLength
            self.cacheLength = cacheLength
        }

        /// The reward added to a completion of `length` tokens (0 within the budget, −1 at or past `maxLength`).
        public func penalty(length: Int) -> Double {
            let soft = maxLength - cacheLength
            if length <= soft { return 0 }
            if length >= maxLength { return -1 }
            return Double(soft - length) / Double(cacheLength)
        }
    }

    public var method: String
    public var advantageScale: AdvantageScale
    /// ε added to the std in the advantage denominator.
    public var standardDeviationEpsilon: Double
    /// Clip range of the importance ratio: [1 − clipLow, 1 + clipHigh].
    public var clipLow: Double
    public var clipHigh: Double
    /// Weight of the k3 KL estimator against a frozen reference policy; 0 skips the reference entirely.
    public var klCoefficient: Double
    public var aggregation: Aggregation
    /// GRPO-λ traces; nil = plain per-token ratios.
    public var trace: EligibilityTrace?
    /// Per-token ratios, or GSPO's one ratio per sequence.
    public var importanceRatio: ImportanceRatio
    /// Advantages below this are raised to it (GRPO-λ: −0.1); nil = no clamp.
    public var advantageClampMin: Double?
    /// DAPO's dynamic sampling: groups whose rewards are all equal carry no signal and are dropped (and refilled).
    public var dropUniformGroups: Bool
    /// λ-GRPO only.
    public var lengthPreference: LengthPreference?
    /// Soft overlong penalty added to rewards before advantages (DAPO); nil = off.
    public var overlongPenalty: OverlongPenalty?

    public init(method: String, advantageScale: AdvantageScale = .standardDeviation, standardDeviationEpsilon: Double = 1e-6,
                clipLow: Double = 0.2, clipHigh: Double = 0.2, klCoefficient: Double = 0,
                aggregation: Aggregation = .sequenceMean, trace: EligibilityTrace? = nil, advantageClampMin: Double? = nil,
                dropUniformGroups: Bool = false, lengthPreference: LengthPreference? = nil,
                overlongPenalty: OverlongPenalty? = nil, importanceRatio: ImportanceRatio = .token) {
        self.method = method
        self.advantageScale = advantageScale
        self.standardDeviationEpsilon = standardDeviationEpsilon
        self.clipLow = clipLow
        self.clipHigh = clipHigh
        self.klCoefficient = klCoefficient
        self.aggregation = aggregation
        self.trace = trace
        self.advantageClampMin = advantageClampMin
        self.dropUniformGroups = dropUniformGroups
        self.lengthPreference = lengthPreference
        self.overlongPenalty = overlongPenalty
        self.importanceRatio = importanceRatio
    }

    /// GRPO (DeepSeekMath): std-scaled advantages, symmetric clip, sequence-mean aggregation.
    public static func grpo(clip: Double = 0.2, klCoefficient: Double = 0) -> LossConfiguration {
        LossConfiguration(method: "grpo", clipLow: clip, clipHigh: clip, klCoefficient: klCoefficient)
    }

    /// DAPO: clip-higher, token-mean aggregation, dynamic sampling.
    public static func dapo(clipLow: Double = 0.2, clipHigh: Double = 0.28, klCoefficient: Double = 0) -> LossConfiguration {
        LossConfiguration(method: "dapo", clipLow: clipLow, clipHigh: clipHigh, klCoefficient: klCoefficient,
                          aggregation: .tokenMean, dropUniformGroups: true)
    }

    /// Dr. GRPO: no std division, token sum over a constant normaliser.
    public static func drGRPO(maxLength: Int, clip: Double = 0.2, klCoefficient: Double = 0) -> LossConfiguration {
        LossConfiguration(method: "drgrpo", advantageScale: .none, clipLow: clip, clipHigh: clip,
                          klCoefficient: klCoefficient, aggregation: .constantNormalizer(maxLength: maxLength))
    }

    /// λ-GRPO: DAPO-style token aggregation with a learned length preference λ (0 = DAPO's weighting).
    public static func lambdaGRPO(_ preference: LengthPreference = LengthPreference(), clip: Double = 0.2,
                                  klCoefficient: Double = 0) -> LossConfiguration {
        LossConfiguration(method: "lambda_grpo", clipLow: clip, clipHigh: clip, klCoefficient: klCoefficient,
                          aggregation: .learnedLengthPreference, lengthPreference: preference)
    }

    /// GRPO-λ: GRPO with traced importance ratios and negative advantages clamped from below.
    public static func grpoLambda(lambda: Double = 0.99, gamma: Double = 1, style: EligibilityTrace.Style = .recent,
                                  traceFloor: Double = 0.05, advantageClampMin: Double? = -0.1, clip: Double = 0.2,
                                  klCoefficient: Double = 0) -> LossConfiguration {
        LossConfiguration(method: "grpo_lambda", clipLow: clip, clipHigh: clip, klCoefficient: klCoefficient,
                          trace: EligibilityTrace(lambda: lambda, gamma: gamma, style: style, floor: traceFloor),
                          advantageClampMin: advantageClampMin)
    }

    /// GSPO: GRPO with one importance ratio per sequence, clipped to its paper's narrow range [1 − 3e-4, 1 + 4e-4].
    public static func gspo(clipLow: Double = 3e-4, clipHigh: Double = 4e-4, klCoefficient: Double = 0) -> LossConfiguration {
        LossConfiguration(method: "gspo", clipLow: clipLow, clipHigh: clipHigh, klCoefficient: klCoefficient,
                          importanceRatio: .sequence)
    }

    /// Checks ranges a run cannot recover from; returns a description of the first problem.
    public func validationError() -> String? {
        if clipLow < 0 || clipLow >= 1 { return "clip_low must be in [0, 1), got \(clipLow)" }
        if clipHigh < 0 { return "clip_high must be ≥ 0, got \(clipHigh)" }
        if klCoefficient < 0 { return "kl_coefficient must be ≥ 0, got \(klCoefficient)" }
        if standardDeviationEpsilon <= 0 { return "std epsilon must be > 0" }
        if case let .constantNormalizer(n) = aggregation, n <= 0 { return "max_length must be positive, got \(n)" }
        if aggregation == .learnedLengthPreference, lengthPreference == nil {
            return "λ-GRPO aggregation needs length_preference settings"
        }
        if let o = overlongPenalty, o.cacheLength <= 0 || o.cacheLength >= o.maxLength {
            return "overlong penalty needs 0 < cache_length < max_length, got \(o.cacheLength) and \(o.maxLength)"
        }
        if importanceRatio == .sequence && trace != nil {
            return "a sequence-level ratio (GSPO) and a GRPO-λ trace cannot be combined"
        }
        if let trace {
            if !(0...1).contains(trace.decay) { return "trace γλ must be in [0, 1], got \(trace.decay)" }
            if trace.floor < 0 || trace.floor > 1 { return "trace floor must be in [0, 1], got \(trace.floor)" }
        }
        return nil
    }

    /// Whether the frozen reference policy's log-probs are needed at all.
    public var needsReferencePolicy: Bool { klCoefficient > 0 }

    private enum CodingKeys: String, CodingKey {
        case method, advantageScale, standardDeviationEpsilon, clipLow, clipHigh, klCoefficient, aggregation, trace
        case advantageClampMin, dropUniformGroups, lengthPreference, overlongPenalty, importanceRatio
    }

    /// Decodes checkpoints written before GSPO existed as per-token ratios.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(method: try c.decode(String.self, forKey: .method),
                  advantageScale: try c.decode(AdvantageScale.self, forKey: .advantageScale),
                  standardDeviationEpsilon: try c.decode(Double.self, forKey: .standardDeviationEpsilon),
                  clipLow: try c.decode(Double.self, forKey: .clipLow), clipHigh: try c.decode(Double.self, forKey: .clipHigh),
                  klCoefficient: try c.decode(Double.self, forKey: .klCoefficient),
                  aggregation: try c.decode(Aggregation.self, forKey: .aggregation),
                  trace: try c.decodeIfPresent(EligibilityTrace.self, forKey: .trace),
                  advantageClampMin: try c.decodeIfPresent(Double.self, forKey: .advantageClampMin),
                  dropUniformGroups: try c.decode(Bool.self, forKey: .dropUniformGroups),
                  lengthPreference: try c.decodeIfPresent(LengthPreference.self, forKey: .lengthPreference),
                  overlongPenalty: try c.decodeIfPresent(OverlongPenalty.self, forKey: .overlongPenalty),
                  importanceRatio: try c.decodeIfPresent(ImportanceRatio.self, forKey: .importanceRatio) ?? .token)
    }
}
