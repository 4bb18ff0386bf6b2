import Foundation
import Learner
import Logging
import Policy
import Protocol
import RolloutWorker
import Seeding
import Tasks
import Telemetry
import Verifier

/// The whole training loop in one process: sampler, verifier and learner share the machine and the weights.
///
/// This is what `grpo-lambda train` runs on the built-in default, and what experiments drive: warm-start the
/// policy with SFT, evaluate it on held-out problems, then take RL steps — lease B prompts from the
/// curriculum, generate and grade G completions each, train — evaluating, checkpointing and logging sample
/// completions as it goes. A run directory that already holds checkpoints is resumed where it stopped.
///
/// Run directory: `config.json` (effective configuration), `log.jsonl` (events; written by the process's log
/// setup), `metrics.jsonl` (one line per step and per evaluation), `warm_start/model.safetensors`,
/// `checkpoints/step-NNNNNNNN/`, `summary.json`.
public final class ColocatedRun {
    public let configuration: RunConfiguration
    public let directory: URL
    private let logger: Logger
    private let metrics: LineSink
    private let clock = ContinuousClock()

    public init(configuration: RunConfiguration, directory: URL, logger: Logger) throws {
        try configuration.validate()
        self.configuration = configuration
        self.directory = directory
        self.logger = logger
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try configuration.jsonData().write(to: directory.appendingPathComponent("config.json"), options: .atomic)
            metrics = try LineSink(appendingTo: directory.appendingPathComponent("metrics.jsonl"))
        } catch {
            throw RunError.runDirectory("cannot prepare \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Runs to the configured number of steps (or resumes to it) and writes `summary.json`.
    public func run() throws -> RunSummary {
        let start = clock.now
        let c = configuration
        let threads = c.threads > 0 ? c.threads : ProcessInfo.processInfo.activeProcessorCount
        let effective = String(decoding: try c.jsonData(), as: UTF8.self)
        logger.info("run starting", metadata: [
            "event": "run_started", "run_directory": "\(directory.path)", "method": "\(c.method)",
            "config": .string(effective),
        ])

        let tokenizer = CharTokenizer.builtin
        let model = try Transformer(config: .builtinTiny, seed: c.seed)
        let template = try PromptTemplate.named(c.template)
        let train = SyntheticCurriculum(seed: c.seed, level: c.level)
        let heldOut = SyntheticCurriculum(seed: c.seed, level: c.level, split: .heldOut).problems(c.heldOutProblems)

        let warmStartSeconds = try warmStart(model: model, tokenizer: tokenizer, template: template, curriculum: train,
                                             threads: threads)
        let trainerConfig = try c.trainerConfiguration()
        let reference = trainerConfig.loss.needsReferencePolicy
            ? try Transformer(config: model.config, parameters: ParameterStore(copying: model.parameters)) : nil
        let trainer = try GRPOTrainer(model: model, reference: reference, configuration: trainerConfig, threads: threads)
        let checkpoints = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"), keep: c.keepCheckpoints)

        let sampler = Sampler(model: model, threads: threads)
        let grader = VerifierGrader()
        let sampling = SamplingOptions(temperature: c.temperature, topP: c.topP, maxNewTokens: c.maxNewTokens)
        let generator = GroupGenerator(sampler: sampler, tokenizer: tokenizer, template: template, grader: grader,
                                       sampling: sampling, workerID: "colocated")
        let greedy = GroupGenerator(sampler: sampler, tokenizer: tokenizer, template: template, grader: grader,
                                    sampling: .greedy(maxNewTokens: c.maxNewTokens), workerID: "eval")
        let evaluator = PolicyEvaluator(greedy: greedy, sampled: c.evalSamples > 0 ? generator : nil)

        var cursor: UInt64 = 0
        var startStep = 0
        var evaluations: [RunSummary.Evaluation] = []
        var warmStartAccuracy: Double
        if let (state, url) = try? checkpoints.loadLatest(into: model, optimizer: trainer.optimizer, logger: logger) {
            trainer.restore(step: state.step, lengthPreferenceLambda: state.lengthPreferenceLambda,
                            random: state.randomGenerator ?? SeededGenerator(seed: c.seed))
            cursor = state.dataCursor
            startStep = state.step
            warmStartAccuracy = Double(state.notes["warm_start_accuracy"] ?? "") ?? .nan
            evaluations = (try? JSONDecoder().decode([RunSummary.Evaluation].self,
                                                     from: Data((state.notes["evaluations"] ?? "[]").utf8))) ?? []
            logger.info("resumed from checkpoint", metadata: [
                "event": "resumed", "path": "\(url.path)", "step": .stringConvertible(state.step),
                "data_cursor": .stringConvertible(cursor),
            ])
        } else {
            let e = try evaluate(evaluator, heldOut, step: 0)
            warmStartAccuracy = e.greedyAccuracy
            evaluations.append(e)
        }

        let core = LearnerCore(trainer: trainer,
                               validator: GroupValidator(vocabularySize: model.config.vocabSize,
                                                         maxPositions: model.config.maxPositionEmbeddings,
                                                         groupSize: c.groupSize),
                               staleness: StalenessPolicy(maxStaleness: UInt64(c.maxStaleness)),
                               groupsPerStep: c.groupsPerStep, startVersion: UInt64(startStep), logger: logger)
        func checkpoint() throws {
            let notes = ["warm_start_accuracy": "\(warmStartAccuracy)", "method": c.method,
                         "evaluations": String(decoding: try JSONEncoder().encode(evaluations), as: UTF8.self)]
            let state = TrainerState(step: trainer.step, weightVersion: core.version,
                                     lengthPreferenceLambda: trainer.lengthPreferenceLambda, random: trainer.random,
                                     dataCursor: cursor, maxStaleness: UInt64(c.maxStaleness), modelConfig: model.config,
                                     trainer: trainerConfig, notes: notes)
            let url = try checkpoints.save(model: model, optimizer: trainer.optimizer, state: state)
            logger.info("checkpoint written", metadata: ["event": "checkpoint", "path": "\(url.path)",
                                                         "step": .stringConvertible(trainer.step)])
        }

        while trainer.step < c.steps {
            // Lease B prompts (more if dynamic sampling dropped some) and generate until a step happens.
            var stepMetrics: StepMetrics?
            var attempts = 0
            var generationSeconds = 0.0
            while stepMetrics == nil {
                attempts += 1
                if attempts > 50 {
                    throw RunError.invalidConfiguration("50 rounds of sampling gave no usable batch (every group's rewards equal?)")
                }
                let needed = max(1, c.groupsPerStep - core.pendingCount)
                let leases = (0..<needed).map { i -> PromptLease in
                    let problem = train.problem(at: Int(cursor) + i)
                    return PromptLease(leaseID: cursor + UInt64(i), promptIndex: cursor + UInt64(i), prompt: problem.question,
                                       goldAnswer: problem.goldAnswer, groupSize: UInt32(c.groupSize), expiresInMilliseconds: 0)
                }
                cursor += UInt64(needed)
                let seed = c.seed &* 0x9E37_79B9 &+ cursor
                let generationStart = clock.now
                let groups = try generator.generate(leases, policyVersion: core.version, seed: seed)
                generationSeconds += (clock.now - generationStart).seconds
                for g in groups { core.submit(g) }
                stepMetrics = try core.stepIfReady()
                if trainer.step % max(c.sampleLogEvery, 1) == 0 || stepMetrics == nil, let g = groups.first {
                    logSamples(g, step: trainer.step)
                }
            }
            _ = core.takeLeaseReport()
            let m = stepMetrics!
            let fields = MetricsLine.fields(m, version: core.version, counters: core.counters)
                + [("generation_seconds", .number(generationSeconds))]
            metrics.write(MetricsLine.json(fields))
            logger.info("learner step", metadata: MetricsLine.metadata(fields))
            if c.evalEvery > 0, trainer.step % c.evalEvery == 0, trainer.step < c.steps {
                evaluations.append(try evaluate(evaluator, heldOut, step: trainer.step))
            }
            if c.checkpointEvery > 0, trainer.step % c.checkpointEvery == 0 { try checkpoint() }
        }

        if evaluations.last?.step != trainer.step || trainer.step == 0 && evaluations.count < 2 {
            evaluations.append(try evaluate(evaluator, heldOut, step: trainer.step))
        }
        if c.checkpointEvery == 0 || trainer.step % c.checkpointEvery != 0 { try checkpoint() }
        let summary = RunSummary(method: c.method, warmStartAccuracy: warmStartAccuracy,
                                 finalAccuracy: evaluations.last!.greedyAccuracy, steps: trainer.step,
                                 seconds: (clock.now - start).seconds, warmStartSeconds: warmStartSeconds,
                                 heldOutProblems: heldOut.count, level: c.level, seed: c.seed, evaluations: evaluations)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(to: directory.appendingPathComponent("summary.json"), options: .atomic)
        logger.info("run finished", metadata: [
            "event": "run_finished", "warm_start_accuracy": .stringConvertible(summary.warmStartAccuracy),
            "final_accuracy": .stringConvertible(summary.finalAccuracy), "steps": .stringConvertible(summary.steps),
            "seconds": .stringConvertible(summary.seconds),
        ])
        return summary
    }

    /// SFT on worked solutions, unless a warm-start model is already in the run directory. Returns seconds spent.
    private func warmStart(model: Transformer, tokenizer: CharTokenizer, template: PromptTemplate,
                           curriculum: SyntheticCurriculum, threads: Int) throws -> Double {
        let c = configuration
        let url = directory.appendingPathComponent("warm_start/model.safetensors")
        if FileManager.default.fileExists(atPath: url.path) {
            try model.parameters.load(from: SafetensorsArchive(url: url))
            logger.info("warm start loaded", metadata: ["event": "warm_start_loaded", "path": "\(url.path)"])
            return 0
        }
        guard c.warmStartSteps > 0 else { return 0 }
        let start = clock.now
        let sft = try SupervisedTrainer(model: model, configuration: .init(
            optimizer: .init(weightDecay: 0.01),
            schedule: .init(peak: c.warmStartLearningRate, minimum: c.warmStartLearningRate / 10,
                            warmupSteps: min(50, c.warmStartSteps / 10), totalSteps: c.warmStartSteps)), threads: threads)
        let eos = tokenizer.specialTokens.eos ?? CharTokenizer.eosID
        // SFT draws from the far end of the train split so RL's first prompts are new to the model.
        let offset = 10_000_000
        var recent: [Double] = []
        for step in 0..<c.warmStartSteps {
            let examples = (0..<c.warmStartBatchSize).map { i -> SupervisedTrainer.Example in
                let p = curriculum.problem(at: offset + step * c.warmStartBatchSize + i)
                return .init(prompt: tokenizer.encode(template.render(p.question)),
                             completion: tokenizer.encode(p.solution! + template.completionSuffix) + [eos])
            }
            recent.append(try sft.train(on: examples))
            if (step + 1) % 100 == 0 || step + 1 == c.warmStartSteps {
                let mean = recent.reduce(0, +) / Double(recent.count)
                recent.removeAll()
                metrics.write(MetricsLine.json([("step", .number(Double(step + 1))), ("loss", .number(mean))], event: "warm_start"))
                logger.info("warm start", metadata: [
                    "event": "warm_start", "step": .stringConvertible(step + 1), "of": .stringConvertible(c.warmStartSteps),
                    "loss": .stringConvertible(mean), "seconds": .stringConvertible((clock.now - start).seconds),
                ])
            }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try model.parameters.write(to: url)
        return (clock.now - start).seconds
    }

    private func evaluate(_ evaluator: PolicyEvaluator, _ problems: [MathProblem], step: Int) throws -> RunSummary.Evaluation {
        let r = try evaluator.evaluate(problems, samplesPerProblem: configuration.evalSamples, seed: configuration.seed)
        var fields: [(String, MetricsLine.Value)] = [
            ("step", .number(Double(step))), ("greedy_accuracy", .number(r.greedyAccuracy)),
            ("problems", .number(Double(r.problems))), ("seconds", .number(r.seconds)),
        ]
        if r.samplesPerProblem > 0 {
            fields += [("k", .number(Double(r.samplesPerProblem))), ("mean_at_k", .number(r.meanAtK)),
                       ("pass_at_k", .number(r.passAtK))]
        }
        metrics.write(MetricsLine.json(fields, event: "eval"))
        logger.info("evaluation", metadata: MetricsLine.metadata(fields, event: "eval"))
        return .init(step: step, greedyAccuracy: r.greedyAccuracy, meanAtK: r.samplesPerProblem > 0 ? r.meanAtK : nil,
                     passAtK: r.samplesPerProblem > 0 ? r.passAtK : nil)
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

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
