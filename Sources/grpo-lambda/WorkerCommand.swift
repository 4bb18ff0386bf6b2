import ArgumentParser
import Foundation
import Logging
import Policy
import Primitives
import Protocol
import RolloutWorker
import Runs
import Seeding
import ServiceLifecycle

/// `grpo-lambda worker`: one rollout worker, for fleets; start as many as you like, on any machine that reaches
/// the coordinator, the learner (and the verifier, if one is used).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a rollout worker: lease prompts, sample groups, grade them, push them to the learner.",
        discussion: """
            Sampling settings (temperature, top_p, max_new_tokens, group size via the coordinator) come from the run \
            configuration. Grading uses --verifier URL when given, else the verifier library in-process. Workers \
            can join and leave at any time; SIGTERM finishes the group in progress and hands back the rest.
            """)

    @Option(help: "Coordinator URL (its --workers endpoint).")
    var coordinator: String
    @Option(help: "Coordinator announcement URL (its --announce endpoint).")
    var announce: String
    @Option(help: "Learner URL (its --rollouts endpoint).")
    var learner: String
    @Option(help: "Verifier service URL; in-process grading when absent.")
    var verifier: String?
    @Option(help: "A stable name for this worker (default: host-pid).")
    var workerID: String?
    @Option(help: "URL to answer health checks on (ready once the worker holds verified weights).")
    var health: String?
    @OptionGroup var run: RunOptions
    @OptionGroup var service: ServiceOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let codecOptions = try service.codecOptions()
        let (c, _, logger) = try run.start("worker", logging: logging)
        // Before any service exists: swift-metrics hands out its backend when a metric is created.
        let metricsServer = try await service.startMetrics(logger: logger)
        let id = workerID ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        let policy = try RunPolicy(c)
        let grader: any AnswerGrader = try verifier.map {
            try RemoteGrader(url: $0, codec: FrameCodec(options: codecOptions), tls: service.tls)
        } ?? VerifierGrader()
        let generator = GroupGenerator(
            sampler: Sampler(model: policy.model, threads: c.engineThreads), tokenizer: policy.tokenizer,
            template: policy.template, grader: TrainingRewardGrader(base: grader, rule: c.effectiveTrainReward),
            sampling: policy.samplingOptions(temperature: c.temperature, topP: c.topP, maxNewTokens: c.maxNewTokens), workerID: id)
        let worker = try WorkerService(
            configuration: .init(workerID: id, coordinatorURL: coordinator, announceURL: announce, learnerURL: learner,
                                 codec: codecOptions, tls: service.tls, slots: c.workerSlots,
                                 seed: c.seed &+ StableHash.fnv1a(id), healthURL: health),
            generator: generator, logger: logger)
        try await ServiceGroup.runUntilDone(worker, logger: logger)
        await metricsServer?.close()
    }
}

