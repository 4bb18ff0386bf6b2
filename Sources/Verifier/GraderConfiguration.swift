/// Everything a `Grader` is configured with: reward shaping, limits and the seed of the evaluation points.
public struct GraderConfiguration: Sendable, Equatable, Codable {
    /// How verdicts become rewards.
    public var reward = RewardShaping()
    /// Size, depth and work bounds.
    public var limits = VerifierLimits()
    /// Seed of the points at which symbolic expressions are evaluated when expansion cannot decide; the same
    /// seed gives the same verdicts.
    public var seed: UInt64 = 0x5EED_CAFE
    /// How many points two expressions must agree on to be judged equal when they are compared by evaluation.
    public var evaluationPoints: Int = 4

    /// The defaults.
    public init() {}

    /// Decodes a partial configuration (from a run's config file): every missing field keeps its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reward = try c.decodeIfPresent(RewardShaping.self, forKey: .reward) ?? RewardShaping()
        limits = try c.decodeIfPresent(VerifierLimits.self, forKey: .limits) ?? VerifierLimits()
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0x5EED_CAFE
        evaluationPoints = try c.decodeIfPresent(Int.self, forKey: .evaluationPoints) ?? 4
    }
}
