import ArgumentParser
import Foundation
import Learner
import Logging
import Policy
import Protocol
import Runs
import Seeding
import Telemetry

/// `grpo-lambda learner`: the learner service alone, for fleets. Workers push rollout groups to `--rollouts`;
/// each B usable groups make a step; new weights and lease reports go to `--coordinator`.
struct LearnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner",
        abstract: "Run the learner service: PULL rollout groups, train, publish weight versions.",
        discussion: """
            The model starts from the newest checkpoint in RUN_DIR/checkpoints if there is one (a restart keeps \
            its step, weight version and staleness bound), else from --weights, else a fresh built-in tiny model. \
            Trainer settings come from the run configuration (--config, same file as `train`).
            """)

    @Option(help: "URL to listen on for rollout groups (ipc:///path, tcp://host:port, tls+tcp://...).")
    var rollouts: String
    @Option(help: "Coordinator URL to push new weight versions and lease reports to.")
    var coordinator: String?
    @Option(help: "Run directory for checkpoints, metrics.jsonl and log.jsonl.")
    var runDir: String = "runs/learner"
    @Option(help: "JSON run configuration (see `train --help`).")
    var config: String?
    @Option(help: "Initial weights (safetensors, e.g. a train run's warm_start/model.safetensors).")
    var weights: String?
    @Option(help: "Stop after this many steps.")
    var maxSteps: Int?
    @Option(help: "File holding the run's shared secret (frames without its HMAC are refused).")
    var secretFile: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let directory = URL(fileURLWithPath: runDir)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try logging.bootstrap(file: directory.appendingPathComponent("log.jsonl"))
        let logger = Logger(label: "learner")
        let c = try config.map { try RunConfiguration.load(URL(fileURLWithPath: $0)) } ?? RunConfiguration()
        try c.validate()
        let secret = try secretFile.map { path -> SharedSecret in
            guard let s = SharedSecret(contentsOfFile: path) else {
                throw ValidationError("--secret-file \(path): missing or shorter than 16 bytes")
            }
            return s
        }

        let model = try Transformer(config: .builtinTiny, seed: c.seed)
        if let weights { try model.parameters.load(from: SafetensorsArchive(url: URL(fileURLWithPath: weights))) }
        let trainerConfig = try c.trainerConfiguration()
        let reference = trainerConfig.loss.needsReferencePolicy
            ? try Transformer(config: model.config, parameters: ParameterStore(copying: model.parameters)) : nil
        let trainer = try GRPOTrainer(model: model, reference: reference, configuration: trainerConfig,
                                      threads: c.threads > 0 ? c.threads : ProcessInfo.processInfo.activeProcessorCount)
        let checkpoints = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"), keep: c.keepCheckpoints)
        var startVersion: UInt64 = 0
        var maxStaleness = UInt64(c.maxStaleness)
        if let (state, url) = try? checkpoints.loadLatest(into: model, optimizer: trainer.optimizer, logger: logger) {
            trainer.restore(step: state.step, lengthPreferenceLambda: state.lengthPreferenceLambda,
                            random: state.randomGenerator ?? SeededGenerator(seed: c.seed))
            startVersion = state.weightVersion
            maxStaleness = state.maxStaleness
            logger.info("resumed from checkpoint", metadata: ["event": "resumed", "path": "\(url.path)",
                                                              "version": .stringConvertible(startVersion)])
        }
        let core = LearnerCore(trainer: trainer,
                               validator: GroupValidator(vocabularySize: model.config.vocabSize,
                                                         maxPositions: model.config.maxPositionEmbeddings,
                                                         groupSize: c.groupSize),
                               staleness: StalenessPolicy(maxStaleness: maxStaleness), groupsPerStep: c.groupsPerStep,
                               startVersion: startVersion, logger: logger)
        let metrics = try LineSink(appendingTo: directory.appendingPathComponent("metrics.jsonl"))
        let staleness = maxStaleness
        let service = LearnerService(
            core: core,
            configuration: .init(rolloutsURL: rollouts, coordinatorURL: coordinator, codec: .init(secret: secret),
                                 checkpointEvery: c.checkpointEvery, maxSteps: maxSteps),
            checkpoints: checkpoints, metrics: metrics, logger: logger) { core in
                TrainerState(step: core.trainer.step, weightVersion: core.version,
                             lengthPreferenceLambda: core.trainer.lengthPreferenceLambda, random: core.trainer.random,
                             dataCursor: 0, maxStaleness: staleness, modelConfig: core.trainer.model.config,
                             trainer: core.trainer.configuration, notes: ["method": c.method])
            }
        let steps = try await service.run()
        logger.info("learner stopped", metadata: ["event": "learner_stopped", "steps": .stringConvertible(steps)])
    }
}
