import Policy
import Primitives
import Seeding

/// The learner's counters that a checkpoint carries besides the weights and optimizer moments, so that a
/// resumed run takes exactly the step the uninterrupted run would have taken, and so that no prompt is lost or
/// trained twice across a crash. Everything the code reads back is a typed field; `notes` is for people.
public struct TrainerState: Sendable, Equatable, Codable {
    /// Learner steps completed.
    public var step: Int
    /// The weight version published after this step.
    public var weightVersion: UInt64
    /// λ-GRPO's learned length preference.
    public var lengthPreferenceLambda: Double
    /// The trainer's shuffling generator.
    public var random: [UInt64]
    /// Next dataset index to lease (colocated runs; in a fleet the coordinator owns the cursor and this is the
    /// index after the highest prompt used).
    public var dataCursor: UInt64
    /// The staleness bound, persisted so a restart keeps it.
    public var maxStaleness: UInt64
    public var modelConfig: ModelConfig
    public var trainer: TrainerConfiguration
    /// Prompt indices whose groups these weights were trained on (or that were used and dropped as uniform): a
    /// group for one of them that arrives again, under a re-issued lease, is a duplicate and is never trained.
    public var usedPrompts: IndexRangeSet
    /// Leases used since the previous checkpoint. They are reported to the coordinator as consumed only once this
    /// checkpoint is durable, and again after a restart from it (the coordinator's ledger is idempotent), so a
    /// crash between the two never loses them.
    public var leasesToReport: [UInt64]
    /// What the run driving this learner had measured when the checkpoint was written.
    public var progress: RunProgress
    /// Free-form context for people (method, seed...).
    public var notes: [String: String]

    public init(step: Int, weightVersion: UInt64, lengthPreferenceLambda: Double, random: SeededGenerator,
                dataCursor: UInt64, maxStaleness: UInt64, modelConfig: ModelConfig, trainer: TrainerConfiguration,
                usedPrompts: IndexRangeSet = IndexRangeSet(), leasesToReport: [UInt64] = [],
                progress: RunProgress = RunProgress(), notes: [String: String] = [:]) {
        self.step = step
        self.weightVersion = weightVersion
        self.lengthPreferenceLambda = lengthPreferenceLambda
        self.random = random.state
        self.dataCursor = dataCursor
        self.maxStaleness = maxStaleness
        self.modelConfig = modelConfig
        self.trainer = trainer
        self.usedPrompts = usedPrompts
        self.leasesToReport = leasesToReport
        self.progress = progress
        self.notes = notes
    }

    /// The saved generator; nil if the saved state is not a valid xoshiro state.
    public var randomGenerator: SeededGenerator? { SeededGenerator(state: random) }

    private enum CodingKeys: String, CodingKey {
        case step, weightVersion, lengthPreferenceLambda, random, dataCursor, maxStaleness, modelConfig, trainer
        case usedPrompts, leasesToReport, progress, notes
    }

    /// Decodes checkpoints written before `usedPrompts`, `leasesToReport` and `progress` existed as empty ones.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        step = try c.decode(Int.self, forKey: .step)
        weightVersion = try c.decode(UInt64.self, forKey: .weightVersion)
        lengthPreferenceLambda = try c.decode(Double.self, forKey: .lengthPreferenceLambda)
        random = try c.decode([UInt64].self, forKey: .random)
        dataCursor = try c.decode(UInt64.self, forKey: .dataCursor)
        maxStaleness = try c.decode(UInt64.self, forKey: .maxStaleness)
        modelConfig = try c.decode(ModelConfig.self, forKey: .modelConfig)
        trainer = try c.decode(TrainerConfiguration.self, forKey: .trainer)
        usedPrompts = try c.decodeIfPresent(IndexRangeSet.self, forKey: .usedPrompts) ?? IndexRangeSet()
        leasesToReport = try c.decodeIfPresent([UInt64].self, forKey: .leasesToReport) ?? []
        notes = try c.decodeIfPresent([String: String].self, forKey: .notes) ?? [:]
        // Before `progress` existed, the warm-start accuracy was kept as a note.
        progress = try c.decodeIfPresent(RunProgress.self, forKey: .progress)
            ?? RunProgress(warmStartAccuracy: notes["warm_start_accuracy"].flatMap(Double.init))
    }
}
