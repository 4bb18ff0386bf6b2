import Foundation
import Logging
import Policy
import Primitives
import Protocol

/// Builds a learner the one way every entry point does (`train`, `run`, the `learner` service): the frozen
/// reference (when the KL term needs one), the trainer, the restore from the newest usable checkpoint and the
/// `LearnerCore` that carries the checkpoint's weight version, staleness bound and used prompts forward.
///
/// A checkpoint whose training settings contradict the configuration (another method, clip range, optimizer,
/// epochs, group size, staleness bound, model...) is refused with the names of the fields that differ, rather
/// than silently letting either side win. The learning-rate schedule's length may change (extending a run);
/// everything else must match.
public struct LearnerAssembly {
    /// What the learner is asked to be.
    public struct Settings: Sendable {
        public var trainer: TrainerConfiguration
        /// Completions per group (G): groups of another size are refused.
        public var groupSize: Int
        /// Groups per step (B).
        public var groupsPerStep: Int
        public var maxStaleness: UInt64
        public var threads: Int

        public init(trainer: TrainerConfiguration, groupSize: Int, groupsPerStep: Int, maxStaleness: UInt64, threads: Int) {
            self.trainer = trainer
            self.groupSize = groupSize
            self.groupsPerStep = groupsPerStep
            self.maxStaleness = maxStaleness
            self.threads = threads
        }
    }

    public let core: LearnerCore
    public let checkpoints: CheckpointStore
    /// The checkpoint resumed from, if any, and its state.
    public let resumedFrom: (url: URL, state: TrainerState)?

    /// `model` holds the initial weights (a warm start, a model directory, or a fresh built-in model): they become
    /// the frozen reference when one is needed, and are replaced by the newest checkpoint's when there is one.
    public init(model: Transformer, settings: Settings, checkpoints: CheckpointStore, logger: Logger) throws {
        let config = settings.trainer
        let reference = config.loss.needsReferencePolicy
            ? try Transformer(config: model.config, parameters: ParameterStore(copying: model.parameters)) : nil
        let trainer = try GRPOTrainer(model: model, reference: reference, configuration: config, threads: settings.threads)
        var startVersion: UInt64 = 0
        var resumed: (URL, TrainerState)?
        if !checkpoints.checkpoints().isEmpty {
            let (state, url) = try checkpoints.loadLatest(into: model, optimizer: trainer.optimizer, logger: logger,
                                                          accepting: { state in
                let differences = Self.differences(state, settings, model.config)
                return differences.isEmpty ? nil : "the run configuration differs from the checkpoint in "
                    + differences.joined(separator: ", ")
                    + " (use a new run directory, or set these fields back to the checkpoint's values)"
            })
            guard let random = state.randomGenerator else {
                throw LearnerError.corruptCheckpoint(path: url.path, reason: "invalid generator state")
            }
            trainer.restore(step: state.step, lengthPreferenceLambda: state.lengthPreferenceLambda, random: random)
            startVersion = state.weightVersion
            resumed = (url, state)
            logger.info("resumed from checkpoint", metadata: [
                "event": "resumed", "path": "\(url.path)", "step": .stringConvertible(state.step),
                "version": .stringConvertible(state.weightVersion), "max_staleness": .stringConvertible(state.maxStaleness),
                "data_cursor": .stringConvertible(state.dataCursor),
                "prompts_used": .stringConvertible(state.usedPrompts.count),
            ])
        }
        core = LearnerCore(trainer: trainer,
                           validator: GroupValidator(vocabularySize: model.config.vocabSize,
                                                     maxPositions: model.config.maxPositionEmbeddings,
                                                     groupSize: settings.groupSize),
                           staleness: StalenessPolicy(maxStaleness: settings.maxStaleness),
                           groupsPerStep: settings.groupsPerStep, startVersion: startVersion,
                           usedPrompts: resumed?.1.usedPrompts ?? IndexRangeSet(), logger: logger)
        self.checkpoints = checkpoints
        resumedFrom = resumed
    }

    /// The names of the settings a checkpoint was written with that differ from `settings` (empty: compatible).
    static func differences(_ state: TrainerState, _ settings: Settings, _ model: ModelConfig) -> [String] {
        let saved = state.trainer, now = settings.trainer
        var fields: [String] = []
        if state.modelConfig != model { fields.append("the model") }
        if saved.loss.method != now.loss.method { fields.append("method (\(saved.loss.method) → \(now.loss.method))") }
        else if saved.loss != now.loss { fields.append("the loss settings (clip, KL, trace, aggregation, dynamic sampling)") }
        if saved.optimizer != now.optimizer { fields.append("the optimizer settings") }
        if saved.schedule.peak != now.schedule.peak || saved.schedule.minimum != now.schedule.minimum
            || saved.schedule.warmupSteps != now.schedule.warmupSteps {
            fields.append("learning_rate/warmup_steps (\(saved.schedule.peak) → \(now.schedule.peak))")
        }
        if saved.maxGradientNorm != now.maxGradientNorm { fields.append("max_gradient_norm") }
        if saved.epochs != now.epochs { fields.append("epochs (\(saved.epochs) → \(now.epochs))") }
        if saved.minibatches != now.minibatches { fields.append("minibatches (\(saved.minibatches) → \(now.minibatches))") }
        if saved.seed != now.seed { fields.append("seed (\(saved.seed) → \(now.seed))") }
        if state.maxStaleness != settings.maxStaleness {
            fields.append("max_staleness (\(state.maxStaleness) → \(settings.maxStaleness))")
        }
        return fields
    }
}
