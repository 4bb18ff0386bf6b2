import Foundation
import Learner
import Logging
import Policy
import Primitives
import RolloutWorker
import Tasks
import Telemetry

/// Evaluates the run's policy on its held-out problems — greedy accuracy, and mean@k / pass@k with k =
/// `eval_samples` at the training temperature — and writes each result as an `eval` line to metrics.jsonl and
/// the log. Shared by `train`, `run` and `eval`. Sampling runs on `pool`.
public final class HeldOutEvaluation {
    public let problems: [MathProblem]
    private let configuration: RunConfiguration
    private let evaluator: PolicyEvaluator
    private let metrics: LineSink?
    private let logger: Logger
    private let pool: ThreadPool

    public init(policy: RunPolicy, configuration: RunConfiguration, grader: any AnswerGrader, pool: ThreadPool,
                metrics: LineSink?, logger: Logger) {
        self.configuration = configuration
        problems = RunPolicy.heldOutProblems(configuration)
        let sampler = Sampler(model: policy.model, threads: configuration.engineThreads)
        func generator(_ sampling: SamplingOptions, _ id: String) -> GroupGenerator {
            GroupGenerator(sampler: sampler, tokenizer: policy.tokenizer, template: policy.template, grader: grader,
                           sampling: sampling, workerID: id)
        }
        let sampled = configuration.evalSamples > 0
            ? generator(SamplingOptions(temperature: configuration.temperature, topP: configuration.topP,
                                        maxNewTokens: configuration.maxNewTokens), "eval-sampled") : nil
        evaluator = PolicyEvaluator(greedy: generator(.greedy(maxNewTokens: configuration.maxNewTokens), "eval"),
                                    sampled: sampled)
        self.metrics = metrics
        self.logger = logger
        self.pool = pool
    }

    /// Evaluates the policy as it is now; `step` is the number of learner steps behind it.
    public func evaluate(step: Int) async throws -> EvaluationRecord {
        let k = configuration.evalSamples
        let r = try await evaluator.evaluate(problems, samplesPerProblem: k, seed: configuration.seed, on: pool)
        var fields: [(String, MetricsLine.Value)] = [
            ("step", .number(Double(step))), ("greedy_accuracy", .number(r.greedyAccuracy)),
            ("problems", .number(Double(r.problems))), ("seconds", .number(r.seconds)),
        ]
        if k > 0 {
            fields += [("k", .number(Double(k))), ("mean_at_k", .number(r.meanAtK)), ("pass_at_k", .number(r.passAtK))]
        }
        metrics?.write(MetricsLine.json(fields, event: "eval"))
        logger.info("evaluation", metadata: MetricsLine.metadata(fields, event: "eval"))
        return EvaluationRecord(step: step, problems: r.problems, greedyAccuracy: r.greedyAccuracy, k: k > 0 ? k : nil,
                                meanAtK: k > 0 ? r.meanAtK : nil, passAtK: k > 0 ? r.passAtK : nil, seconds: r.seconds)
    }
}
