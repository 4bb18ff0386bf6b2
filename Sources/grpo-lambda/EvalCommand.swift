import ArgumentParser
import Foundation
import Learner
import Logging
import Policy
import Primitives
import Runs
import RolloutWorker

/// `grpo-lambda eval`: held-out accuracy of a run's newest checkpoint (or of given weights).
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a run's policy on its held-out problems: greedy accuracy, and mean@k / pass@k with --eval-samples k.",
        discussion: """
            The run's own config.json is the configuration (flags given here override it; it is not rewritten). \
            The weights are --weights FILE if given, else the newest usable checkpoint in DIR/checkpoints, else \
            DIR/warm_start/model.safetensors, else the --model directory's own. The problems are the run \
            configuration's: the held-out split of --dataset (or --eval-dataset), or the built-in curriculum's \
            (level, seed, held_out_problems). Prints the evaluation as JSON and appends an `eval` line to \
            DIR/metrics.jsonl.
            """)

    @OptionGroup var run: RunOptions
    @Option(help: "Evaluate these weights (safetensors) instead of the run's own.")
    var weights: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let (configuration, directory, logger) = try run.start("eval", logging: logging, evaluating: true)
        let policy = try RunPolicy(configuration)
        var step = 0
        if let weights {
            try policy.model.parameters.load(from: SafetensorsArchive(url: URL(fileURLWithPath: weights)))
        } else if let (url, state) = newestUsableCheckpoint(in: directory, logger: logger) {
            try policy.model.parameters.load(from: SafetensorsArchive(url: url.appendingPathComponent("model.safetensors")))
            step = state.step
        } else if FileManager.default.fileExists(atPath: directory.warmStartWeights.path) {
            try policy.model.parameters.load(from: SafetensorsArchive(url: directory.warmStartWeights))
        } else if configuration.modelDirectory != nil {
            logger.info("evaluating the model directory's own weights", metadata: ["event": "eval_weights",
                                                                                   "model": "\(configuration.modelDirectory!)"])
        } else {
            throw ValidationError("\(directory.url.path) holds no checkpoint and no warm start; give --weights FILE or --model DIR")
        }
        let compute = ThreadPool(threads: 1, name: "eval", stackSize: 8 << 20)
        defer { compute.stop() }
        let record = try await HeldOutEvaluation(policy: policy, configuration: configuration, grader: VerifierGrader(),
                                                 pool: compute, metrics: directory.metrics, logger: logger)
            .evaluate(step: step)
        try printJSON(record.jsonObject())
    }
}

/// The newest checkpoint whose manifest verifies (corrupt ones are logged and skipped).
private func newestUsableCheckpoint(in directory: RunDirectory, logger: Logger) -> (URL, TrainerState)? {
    let store = CheckpointStore(directory: directory.checkpoints)
    for url in store.checkpoints() {
        do {
            return (url, try store.verify(url))
        } catch {
            logger.error("skipping unusable checkpoint", metadata: ["event": "checkpoint_refused", "path": "\(url.path)",
                                                                    "error": "\(error)"])
        }
    }
    return nil
}

extension EvaluationRecord {
    /// The record with snake_case keys, for printing.
    func jsonObject() throws -> Any {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try JSONSerialization.jsonObject(with: encoder.encode(self))
    }
}

/// Prints one JSON value on stdout (sorted keys, pretty).
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
