/// What a run had measured by the time of a checkpoint: its warm-start accuracy and every evaluation so far, so
/// that a resumed run's summary is the uninterrupted run's summary.
public struct RunProgress: Sendable, Equatable, Codable {
    /// Greedy held-out accuracy before RL (nil until measured).
    public var warmStartAccuracy: Double?
    public var evaluations: [EvaluationRecord]

    public init(warmStartAccuracy: Double? = nil, evaluations: [EvaluationRecord] = []) {
        self.warmStartAccuracy = warmStartAccuracy
        self.evaluations = evaluations
    }
}

/// One held-out evaluation: greedy accuracy, and mean@k / pass@k when k samples per problem were drawn.
public struct EvaluationRecord: Sendable, Equatable, Codable {
    /// Learner steps completed when it was measured (0 = the warm start).
    public var step: Int
    public var problems: Int
    public var greedyAccuracy: Double
    /// Samples per problem (nil = greedy only).
    public var k: Int?
    public var meanAtK: Double?
    public var passAtK: Double?
    public var seconds: Double

    public init(step: Int, problems: Int, greedyAccuracy: Double, k: Int? = nil, meanAtK: Double? = nil,
                passAtK: Double? = nil, seconds: Double) {
        self.step = step
        self.problems = problems
        self.greedyAccuracy = greedyAccuracy
        self.k = k
        self.meanAtK = meanAtK
        self.passAtK = passAtK
        self.seconds = seconds
    }
}
