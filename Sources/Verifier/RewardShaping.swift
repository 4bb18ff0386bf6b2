/// How a verdict becomes the scalar reward the learner trains on.
public struct RewardShaping: Sendable, Equatable, Codable {
    /// Reward of a correct answer.
    public var correct: Double = 1
    /// Reward of a wrong, unparseable or over-limit answer.
    public var wrong: Double = 0
    /// Subtracted from the reward when the completion has no explicit final answer (no `\boxed{}`, `####`,
    /// answer phrase or choice letter): whether nothing was found or only the last-number fallback applied.
    /// 0 disables the penalty.
    public var missingFinalAnswerPenalty: Double = 0
    /// Whether the last number of a completion counts as its answer when no explicit marker is present.
    public var lastNumberFallback: Bool = true

    /// Correct = 1, wrong = 0, no format penalty, fallback on.
    public init() {}

    /// Decodes a partial configuration: every missing field keeps its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RewardShaping()
        correct = try c.decodeIfPresent(Double.self, forKey: .correct) ?? d.correct
        wrong = try c.decodeIfPresent(Double.self, forKey: .wrong) ?? d.wrong
        missingFinalAnswerPenalty = try c.decodeIfPresent(Double.self, forKey: .missingFinalAnswerPenalty)
            ?? d.missingFinalAnswerPenalty
        lastNumberFallback = try c.decodeIfPresent(Bool.self, forKey: .lastNumberFallback) ?? d.lastNumberFallback
    }

    /// Reward for `reason` given how the answer was found. An unparseable gold always yields `wrong` and no
    /// penalty: the completion is not at fault and must never be rewarded.
    public func reward(for reason: GradeReason, method: ExtractionMethod) -> Double {
        if reason == .unparseableGold { return wrong }
        let base = reason == .correct ? correct : wrong
        let explicit = method == .boxed || method == .hashMarker || method == .answerPhrase || method == .choiceLetter
        return explicit ? base : base - missingFinalAnswerPenalty
    }
}
