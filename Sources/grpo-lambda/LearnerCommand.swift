import ArgumentParser
import Foundation
import Learner
import Logging
import Policy
import Protocol
import Runs
import ServiceLifecycle
import Telemetry

/// `grpo-lambda learner`: the learner service alone, for fleets. Workers push rollout groups to `--rollouts`;
/// each B usable groups make a step; new weights and lease reports go to `--coordinator`.
struct LearnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner",
        abstract: "Run the learner service: PULL rollout groups, train, publish weight versions.",
        discussion: """
            The model starts from the newest checkpoint in RUN_DIR/checkpoints if there is one (a restart keeps \
            its step, weight version, staleness bound and used prompts; a configuration that contradicts the \
            checkpoint is refused), else from --weights, else a fresh built-in tiny model. Trainer settings come \
            from the run configuration (the same flags and file as `train`). It stops when the learner has \
            completed `steps` steps, or on SIGTERM/SIGINT, after finishing the step in progress and writing a \
            final checkpoint.
            """)

    @Option(help: "URL to listen on for rollout groups (ipc:///path, tcp://host:port, tls+tcp://...).")
    var rollouts: String
    @Option(help: "Coordinator URL for new weight versions and lease reports.")
    var coordinator: String?
    @Option(help: "Initial weights (safetensors, e.g. a train run's warm_start/model.safetensors).")
    var weights: String?
    @Option(help: "URL to answer health checks on (`grpo-lambda health URL`, container probes).")
    var health: String?
    @OptionGroup var run: RunOptions
    @OptionGroup var service: ServiceOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let codec = try service.codecOptions()
        let (c, directory, logger) = try run.start("learner", logging: logging)
        // Before any service exists: swift-metrics hands out its backend when a metric is created.
        let metricsServer = try await service.startMetrics(logger: logger)

        let microBatchTokens = try c.checkedMicroBatchTokens(logger: logger)
        let policy = try RunPolicy(c)
        if let weights { try policy.model.parameters.load(from: SafetensorsArchive(url: URL(fileURLWithPath: weights))) }
        let assembly = try LearnerAssembly(model: policy.model, settings: c.learnerSettings(microBatchTokens: microBatchTokens),
                                           checkpoints: CheckpointStore(directory: directory.checkpoints,
                                                                        keep: c.keepCheckpoints, companions: policy.companionFiles),
                                           logger: logger)
        let learner = LearnerService(
            assembly: assembly,
            configuration: .init(rolloutsURL: rollouts, coordinatorURL: coordinator, codec: codec, tls: service.tls,
                                 checkpointEvery: c.checkpointEvery, stopAtStep: c.steps > 0 ? c.steps : nil,
                                 sampleLogEvery: c.sampleLogEvery,
                                 progress: assembly.resumedFrom?.state.progress ?? RunProgress(),
                                 notes: ["method": c.method.rawValue, "seed": "\(c.seed)"], healthURL: health,
                                 faultInjection: FaultInjection.fromEnvironment()),
            metrics: directory.metrics, logger: logger)
        try await ServiceGroup.runUntilDone(learner, logger: logger)
        await metricsServer?.close()
    }
}

/// Test-only crash points: `GRPO_LAMBDA_FAULT=POINT@STEP` makes the learner exit abruptly (as `kill -9` would)
/// at POINT (`before_checkpoint`, `after_checkpoint_before_report`) once it has completed STEP steps.
enum FaultInjection {
    static func fromEnvironment() -> (@Sendable (LearnerService.FaultPoint, Int) -> Void)? {
        guard let spec = ProcessInfo.processInfo.environment["GRPO_LAMBDA_FAULT"] else { return nil }
        let parts = spec.split(separator: "@")
        guard let point = LearnerService.FaultPoint(rawValue: String(parts[0])) else { return nil }
        let atStep = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        return { reached, step in
            if reached == point && step >= atStep { _exit(137) }
        }
    }
}
