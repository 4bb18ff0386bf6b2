import ArgumentParser
import Coordinator
import Foundation
import Logging
import Runs
import ServiceLifecycle

/// `grpo-lambda coordinator`: the control plane alone, for fleets.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run the coordinator: worker membership, prompt leases with a durable ledger, weight broadcast.",
        discussion: """
            Workers dial --workers (REQ) and --announce (SUB); the learner dials --learner (REQ). Prompts come \
            from the run configuration's curriculum (seed, level); the ledger RUN_DIR/ledger.jsonl records every \
            lease and is replayed on restart, so a coordinator killed and restarted loses nothing. Every event is \
            one JSON line in RUN_DIR/log.jsonl (and on stderr with --log-format json), with a fleet summary every \
            summary_interval_s seconds.
            """)

    @Option(help: "URL workers dial for membership, leases and weight chunks (REP).")
    var workers: String
    @Option(help: "URL the learner dials for lease reports and new weight versions (REP).")
    var learner: String
    @Option(help: "URL workers subscribe to for weight announcements (PUB).")
    var announce: String
    @OptionGroup var run: RunOptions
    @OptionGroup var service: ServiceOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let codec = try service.codecOptions()
        let (c, directory, logger) = try run.start("coordinator", logging: logging)
        // Before any service exists: swift-metrics hands out its backend when a metric is created.
        let metricsServer = try await service.startMetrics(logger: logger)
        let coordinator = try CoordinatorService(
            configuration: c.coordinatorConfiguration(workersURL: workers, learnerURL: learner, announceURL: announce,
                                                      ledger: directory.ledger, codec: codec, tls: service.tls,
                                                      faultInjection: ProcessInfo.processInfo.environment["GRPO_LAMBDA_FAULT"]),
            problems: try RunPolicy.trainingProblems(c), logger: logger)
        try await ServiceGroup.runUntilDone(coordinator, logger: logger)
        await metricsServer?.close()
    }
}
