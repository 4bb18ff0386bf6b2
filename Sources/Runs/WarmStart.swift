import Foundation
import Learner
import Logging
import Policy
import Primitives
import Tasks
import Telemetry

/// The supervised warm start: the policy learns the curriculum's worked-solution format before RL, so RL starts
/// from a model that sometimes answers right. Shared by `train`, `run` and `sft`.
///
/// It draws from the far end of the training split (so RL's first prompts are new to the model), uses AdamW
/// with a short warm-up and a cosine decay to a tenth of its peak, logs a loss line every 100 steps, and saves
/// `warm_start/model.safetensors`. When that file exists, it is loaded instead.
public struct WarmStart {
    public let configuration: RunConfiguration
    public let directory: RunDirectory
    public let logger: Logger

    public init(configuration: RunConfiguration, directory: RunDirectory, logger: Logger) {
        self.configuration = configuration
        self.directory = directory
        self.logger = logger
    }

    /// Index of the first training problem the warm start uses (RL leases from 0 upwards).
    public static let problemOffset = 10_000_000

    /// Loads the saved warm start into `policy`, or trains and saves it. Returns the seconds spent training.
    public func loadOrTrain(_ policy: RunPolicy) throws -> Double {
        let url = directory.warmStartWeights
        if FileManager.default.fileExists(atPath: url.path) {
            try policy.model.parameters.load(from: SafetensorsArchive(url: url))
            logger.info("warm start loaded", metadata: ["event": "warm_start_loaded", "path": "\(url.path)"])
            return 0
        }
        let c = configuration
        guard c.warmStartSteps > 0 else { return 0 }
        let clock = ContinuousClock()
        let start = clock.now
        let sft = try SupervisedTrainer(model: policy.model, configuration: .init(
            optimizer: .init(weightDecay: 0.01),
            schedule: .init(peak: c.warmStartLearningRate, minimum: c.warmStartLearningRate / 10,
                            warmupSteps: min(50, c.warmStartSteps / 10), totalSteps: c.warmStartSteps)),
                                        threads: c.engineThreads)
        let curriculum = try RunPolicy.trainingProblems(c)
        let eos = policy.tokenizer.specialTokens.eos.map { [$0] } ?? []
        var recent: [Double] = []
        for step in 0..<c.warmStartSteps {
            let examples = (0..<c.warmStartBatchSize).map { i -> SupervisedTrainer.Example in
                let p = curriculum.problem(at: Self.problemOffset + step * c.warmStartBatchSize + i)
                return .init(prompt: policy.tokenizer.encode(policy.template.render(p.question)),
                             completion: policy.tokenizer.encode(p.solution! + policy.template.completionSuffix) + eos)
            }
            recent.append(try sft.train(on: examples))
            if (step + 1) % 100 == 0 || step + 1 == c.warmStartSteps {
                let mean = recent.reduce(0, +) / Double(recent.count)
                recent.removeAll()
                directory.metrics.write(MetricsLine.json([("step", .number(Double(step + 1))), ("loss", .number(mean))],
                                                         event: "warm_start"))
                logger.info("warm start", metadata: [
                    "event": "warm_start", "step": .stringConvertible(step + 1), "of": .stringConvertible(c.warmStartSteps),
                    "loss": .stringConvertible(mean), "seconds": .stringConvertible((clock.now - start).seconds),
                ])
            }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try policy.model.parameters.write(to: url)
        return (clock.now - start).seconds
    }
}
