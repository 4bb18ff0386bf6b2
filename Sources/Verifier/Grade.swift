/// The verdict on one completion: a reason code, the reward, and what was graded.
public struct Grade: Sendable, Equatable, Codable {
    /// Why; `.correct` is the only reason that earns `RewardShaping.correct`.
    public var reason: GradeReason
    /// The shaped reward (see `RewardShaping.reward(for:method:)`).
    public var reward: Double
    /// Where the answer was found.
    public var method: ExtractionMethod
    /// The extracted answer text (at most 256 bytes of it, cut on a character boundary), for logs; nil when none.
    public var extractedAnswer: String?
    /// Which limit stopped the grading, when `reason` is `.limitExceeded` (or `.unparseableGold` for a gold over
    /// a limit).
    public var limit: LimitKind?
    /// Work steps spent on this completion (see `VerifierLimits.workBudget`).
    public var steps: Int

    /// Whether the answer was judged equivalent to the gold.
    public var isCorrect: Bool { reason == .correct }

    /// A grade with every field given.
    public init(reason: GradeReason, reward: Double, method: ExtractionMethod, extractedAnswer: String?,
                limit: LimitKind?, steps: Int) {
        self.reason = reason
        self.reward = reward
        self.method = method
        self.extractedAnswer = extractedAnswer
        self.limit = limit
        self.steps = steps
    }
}
