import Foundation
import Learner

/// What `<run>/summary.json` records when a run ends (DESIGN.md §8: at least warm_start_accuracy,
/// final_accuracy, steps, seconds, method).
public struct RunSummary: Sendable, Equatable, Codable {
    public var method: String
    /// Greedy held-out accuracy before RL, and after the last step.
    public var warmStartAccuracy: Double
    public var finalAccuracy: Double
    /// mean@k before and after, when evaluations sampled k completions per problem.
    public var warmStartMeanAtK: Double?
    public var finalMeanAtK: Double?
    /// RL steps completed.
    public var steps: Int
    /// Completions sampled for RL (a colocated run; with DAPO's dynamic sampling more than steps × B × G).
    public var completionsSampled: Int?
    /// Wall-clock seconds of this process's part of the run (warm start, RL and evaluations).
    public var seconds: Double
    public var warmStartSeconds: Double
    public var heldOutProblems: Int
    public var level: Int
    public var seed: UInt64
    /// Every evaluation of the run, the warm start's first.
    public var evaluations: [EvaluationRecord]
    /// How the fleet did (`grpo-lambda run`; nil for a colocated run).
    public var fleet: Fleet?

    public struct Fleet: Sendable, Equatable, Codable {
        public var workers: Int
        /// Wall-clock seconds from starting the services to the learner's last step.
        public var rlSeconds: Double
        /// Groups trained per second of that time.
        public var groupsPerSecond: Double
        /// Share of the learner's time spent waiting for groups.
        public var learnerIdleFraction: Double
        /// Service processes restarted after dying.
        public var restarts: Int
    }

    public init(configuration: RunConfiguration, progress: RunProgress, steps: Int, seconds: Double,
                warmStartSeconds: Double) {
        method = configuration.method.rawValue
        let first = progress.evaluations.first, last = progress.evaluations.last
        warmStartAccuracy = progress.warmStartAccuracy ?? first?.greedyAccuracy ?? .nan
        finalAccuracy = last?.greedyAccuracy ?? .nan
        warmStartMeanAtK = first?.meanAtK
        finalMeanAtK = last?.meanAtK
        self.steps = steps
        self.seconds = seconds
        self.warmStartSeconds = warmStartSeconds
        heldOutProblems = configuration.heldOutProblems
        level = configuration.level
        seed = configuration.seed
        evaluations = progress.evaluations
    }

    /// Pretty JSON with snake_case keys (what summary.json holds and `train` prints).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Writes `summary.json` atomically.
    public func write(to directory: RunDirectory) throws {
        try jsonData().write(to: directory.summary, options: .atomic)
    }
}
