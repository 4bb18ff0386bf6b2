import ArgumentParser
import Foundation
import Logging
import Primitives
import Runs
import RolloutWorker

/// `grpo-lambda sft`: the supervised warm start alone, then a held-out evaluation of it.
struct SFTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Supervised warm start of the built-in model on worked solutions; writes DIR/warm_start/model.safetensors.",
        discussion: """
            Uses warm_start_steps, warm_start_batch_size and warm_start_learning_rate of the run configuration; \
            an existing DIR/warm_start/model.safetensors is loaded instead of trained. Prints {"warm_start_accuracy", \
            "seconds", "evaluation"} as JSON. `train` and `run` on the same directory start from this warm start.
            """)

    @OptionGroup var run: RunOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let (configuration, directory, logger) = try run.start("sft", logging: logging)
        let compute = ThreadPool(threads: 1, name: "sft", stackSize: 8 << 20)
        defer { compute.stop() }
        let policy = try RunPolicy(configuration)
        let seconds = try await compute.run {
            try WarmStart(configuration: configuration, directory: directory, logger: logger).loadOrTrain(policy)
        }
        let record = try await HeldOutEvaluation(policy: policy, configuration: configuration, grader: VerifierGrader(),
                                                 pool: compute, metrics: directory.metrics, logger: logger)
            .evaluate(step: 0)
        try printJSON(["warm_start_accuracy": record.greedyAccuracy, "seconds": seconds, "evaluation": record.jsonObject()])
    }
}
