/// What `<run>/summary.json` records when a run ends.
public struct RunSummary: Sendable, Equatable, Codable {
    public var method: String
    public var warmStartAccuracy: Double
    public var finalAccuracy: Double
    /// RL steps completed.
    public var steps: Int
    /// Wall-clock seconds of this process's part of the run (warm start, RL and evaluations).
    public var seconds: Double
    public var warmStartSeconds: Double
    public var heldOutProblems: Int
    public var level: Int
    public var seed: UInt64
    /// Accuracy at each evaluation: (step, greedy accuracy).
    public var evaluations: [Evaluation]

    public struct Evaluation: Sendable, Equatable, Codable {
        public var step: Int
        public var greedyAccuracy: Double
        public var meanAtK: Double?
        public var passAtK: Double?
    }
}
