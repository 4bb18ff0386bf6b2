import Policy
import Seeding

/// The learner's counters that a checkpoint carries besides the weights and optimizer moments, so that a
/// resumed run takes exactly the step the uninterrupted run would have taken.
public struct TrainerState: Sendable, Equatable, Codable {
    /// Learner steps completed.
    public var step: Int
    /// The weight version published after this step.
    public var weightVersion: UInt64
    /// λ-GRPO's learned length preference.
    public var lengthPreferenceLambda: Double
    /// The trainer's shuffling generator.
    public var random: [UInt64]
    /// Next dataset index to lease (colocated runs; the coordinator owns it in a fleet).
    public var dataCursor: UInt64
    /// The staleness bound, persisted so a restart keeps it.
    public var maxStaleness: UInt64
    public var modelConfig: ModelConfig
    public var trainer: TrainerConfiguration
    /// Free-form context for people (run id, method, seed...).
    public var notes: [String: String]

    public init(step: Int, weightVersion: UInt64, lengthPreferenceLambda: Double, random: SeededGenerator,
                dataCursor: UInt64, maxStaleness: UInt64, modelConfig: ModelConfig, trainer: TrainerConfiguration,
                notes: [String: String] = [:]) {
        self.step = step
        self.weightVersion = weightVersion
        self.lengthPreferenceLambda = lengthPreferenceLambda
        self.random = random.state
        self.dataCursor = dataCursor
        self.maxStaleness = maxStaleness
        self.modelConfig = modelConfig
        self.trainer = trainer
        self.notes = notes
    }

    /// The saved generator; nil if the saved state is not a valid xoshiro state.
    public var randomGenerator: SeededGenerator? { SeededGenerator(state: random) }
}
