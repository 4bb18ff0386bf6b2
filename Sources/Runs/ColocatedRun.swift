import Foundation
import Learner
import Logging
import Policy
import Primitives
import Protocol
import RolloutWorker
import Tasks
import Telemetry
import Verifier

/// The whole training loop in one process: sampler, verifier and learner share the machine and the weights.
///
/// This is what `grpo-lambda train` (and `run --colocated`) runs, and what experiments drive: warm-start the
/// policy with SFT, evaluate it on held-out problems, then take RL steps — lease B prompts from the curriculum,
/// generate and grade G completions each, train — evaluating, checkpointing and logging sample completions as
/// it goes. A run directory that already holds checkpoints is resumed where it stopped: same step, weight
/// version, staleness bound, data cursor and evaluations.
public final class ColocatedRun {
    public let configuration: RunConfiguration
    public let directory: RunDirectory
    private let logger: Logger
    private let clock = ContinuousClock()

    /// `configuration` must be valid (`RunConfiguration.load` validates).
    public init(configuration: RunConfiguration, directory: RunDirectory, logger: Logger) {
        self.configuration = configuration
        self.directory = directory
        self.logger = logger
    }

    /// Runs to the configured number of steps (or resumes to it) and writes `summary.json`.
    public func run() async throws -> RunSummary {
        let start = clock.now
        let c = configuration
        let effective = String(decoding: try c.resolved().jsonData(), as: UTF8.self)
        logger.info("run starting", metadata: [
            "event": "run_started", "run_directory": "\(directory.url.path)", "method": "\(c.method.rawValue)",
            "config": .string(effective),
        ])
        // Sampling and training are blocking CPU work: one thread of their own, one job at a time.
        let compute = ThreadPool(threads: 1, name: "run-compute", stackSize: 8 << 20)
        defer { compute.stop() }

        let microBatchTokens = try c.checkedMicroBatchTokens(logger: logger)
        let policy = try RunPolicy(c)
        let warmStartSeconds = try await compute.run {
            try WarmStart(configuration: c, directory: self.directory, logger: self.logger).loadOrTrain(policy)
        }
        let assembly = try LearnerAssembly(model: policy.model, settings: c.learnerSettings(microBatchTokens: microBatchTokens),
                                           checkpoints: CheckpointStore(directory: directory.checkpoints,
                                                                        keep: c.keepCheckpoints, companions: policy.companionFiles),
                                           logger: logger)
        let core = assembly.core
        var cursor = assembly.resumedFrom?.state.dataCursor ?? 0
        var progress = assembly.resumedFrom?.state.progress ?? RunProgress()

        let grader = VerifierGrader()
        let evaluation = try HeldOutEvaluation(policy: policy, configuration: c, grader: grader, pool: compute,
                                           metrics: directory.metrics, logger: logger)
        if progress.warmStartAccuracy == nil {
            let first = try await evaluation.evaluate(step: core.trainer.step)
            progress.warmStartAccuracy = first.greedyAccuracy
            progress.evaluations.append(first)
        }
        let generator = GroupGenerator(
            sampler: Sampler(model: policy.model, threads: c.engineThreads), tokenizer: policy.tokenizer,
            template: policy.template, grader: TrainingRewardGrader(base: grader, rule: c.effectiveTrainReward),
            sampling: policy.samplingOptions(temperature: c.temperature, topP: c.topP, maxNewTokens: c.maxNewTokens),
            workerID: "colocated")
        let problems = try RunPolicy.trainingProblems(c)
        let notes = ["method": c.method.rawValue, "seed": "\(c.seed)"]
        var checkpointedStep = assembly.resumedFrom?.state.step
        func checkpoint() throws {
            let (url, _) = try core.checkpoint(core.trainerState(dataCursor: cursor, progress: progress, notes: notes),
                                               to: assembly.checkpoints)
            checkpointedStep = core.trainer.step
            logger.info("checkpoint written", metadata: ["event": "checkpoint", "path": "\(url.path)",
                                                         "step": .stringConvertible(core.trainer.step)])
        }

        func withinSampleBudget() -> Bool { c.sampleBudget == 0 || Int(cursor) * c.groupSize < c.sampleBudget }
        while core.trainer.step < c.steps && withinSampleBudget() {
            // Lease B prompts (more if dynamic sampling dropped some) and generate until a step happens.
            var stepMetrics: StepMetrics?
            var rounds = 0
            var generationSeconds = 0.0
            while stepMetrics == nil {
                rounds += 1
                guard rounds <= 50 else {
                    throw RunError.noUsableBatch("50 rounds of sampling gave no batch (every group's rewards equal?)")
                }
                let needed = max(1, c.groupsPerStep - core.pendingCount)
                let leases = (0..<UInt64(needed)).map { i -> PromptLease in
                    let problem = problems.problem(at: Int(cursor + i))
                    return PromptLease(leaseID: cursor + i, promptIndex: cursor + i, prompt: problem.question,
                                       goldAnswer: problem.goldAnswer, groupSize: UInt32(c.groupSize),
                                       expiresInMilliseconds: 0)
                }
                cursor += UInt64(needed)
                let generationStart = clock.now
                let groups = try await generator.generate(leases, policyVersion: core.version,
                                                          seed: c.seed &* 0x9E37_79B9 &+ cursor, on: compute)
                generationSeconds += (clock.now - generationStart).seconds
                for g in groups { core.submit(g) }
                stepMetrics = try await compute.run { try core.stepIfReady() }
                let logged = stepMetrics?.step ?? core.trainer.step
                if logged % max(c.sampleLogEvery, 1) == 0 || stepMetrics == nil, let g = groups.first {
                    logSamples(g, step: logged)
                }
            }
            _ = core.takeImmediateReport()
            var fields = MetricsLine.fields(stepMetrics!, version: core.version, counters: core.counters)
                + [("generation_seconds", .number(generationSeconds))]
            if c.probeProblems > 0 {
                fields += try await evaluation.probe(problems: c.probeProblems, samples: c.probeSamples)
            }
            directory.metrics.write(MetricsLine.json(fields))
            logger.info("learner step", metadata: MetricsLine.metadata(fields))
            let step = core.trainer.step
            let continues = step < c.steps && withinSampleBudget()
            if c.evalEvery > 0, step % c.evalEvery == 0, continues {
                progress.evaluations.append(try await evaluation.evaluate(step: step))
            }
            if c.checkpointEvery > 0, step % c.checkpointEvery == 0, continues { try checkpoint() }
            if c.reportEvery > 0, step % c.reportEvery == 0, continues { directory.writeReport(logger: logger) }
        }

        if progress.evaluations.last?.step != core.trainer.step {
            progress.evaluations.append(try await evaluation.evaluate(step: core.trainer.step))
        }
        if checkpointedStep != core.trainer.step { try checkpoint() }
        var summary = RunSummary(configuration: c, progress: progress, steps: core.trainer.step,
                                 seconds: (clock.now - start).seconds, warmStartSeconds: warmStartSeconds)
        summary.completionsSampled = Int(cursor) * c.groupSize
        try summary.write(to: directory)
        directory.writeReport(logger: logger)
        logger.info("run finished", metadata: [
            "event": "run_finished", "warm_start_accuracy": .stringConvertible(summary.warmStartAccuracy),
            "final_accuracy": .stringConvertible(summary.finalAccuracy), "steps": .stringConvertible(summary.steps),
            "seconds": .stringConvertible(summary.seconds),
        ])
        return summary
    }

    /// A few sampled completions with their rewards: what the model actually writes, next to the means.
    private func logSamples(_ group: RolloutGroup, step: Int) {
        let samples: [Logger.Metadata.Value] = group.completions.prefix(3).map { c in
            .dictionary(["text": .string(c.text), "reward": .stringConvertible(Double(c.reward)), "verdict": .string(c.verdict)])
        }
        logger.info("sample completions", metadata: [
            "event": "samples", "step": .stringConvertible(step), "prompt": .string(group.prompt),
            "gold": .string(group.goldAnswer), "completions": .array(samples),
        ])
    }
}
