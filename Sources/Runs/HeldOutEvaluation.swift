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
    private let probeEvaluator: PolicyEvaluator
    private let metrics: LineSink?
    private let logger: Logger
    private let pool: ThreadPool

    public init(policy: RunPolicy, configuration: RunConfiguration, grader: any AnswerGrader, pool: ThreadPool,
                metrics: LineSink?, logger: Logger) throws {
        self.configuration = configuration
        problems = try RunPolicy.heldOutProblems(configuration)
        let sampler = Sampler(model: policy.model, threads: configuration.engineThreads)
        func generator(_ sampling: SamplingOptions, _ id: String) -> GroupGenerator {
            GroupGenerator(sampler: sampler, tokenizer: policy.tokenizer, template: policy.template, grader: grader,
                           sampling: sampling, workerID: id)
        }
        let training = policy.samplingOptions(temperature: configuration.temperature, topP: configuration.topP,
                                              maxNewTokens: configuration.maxNewTokens)
        let sampled = configuration.evalSamples > 0 ? generator(training, "eval-sampled") : nil
        let greedy = generator(.greedy(maxNewTokens: configuration.maxNewTokens, stopTokenIDs: policy.stopTokenIDs), "eval")
        evaluator = PolicyEvaluator(greedy: greedy, sampled: sampled)
        probeEvaluator = PolicyEvaluator(greedy: greedy, sampled: generator(training, "probe"))
        self.metrics = metrics
        self.logger = logger
        self.pool = pool
    }

    /// The per-step diagnostic of a colocated run: greedy accuracy and mean@k on the first `problems` held-out
    /// problems (k = `probe_samples`), returned as metrics-line fields, not logged as an evaluation.
    public func probe(problems count: Int, samples k: Int) async throws -> [(String, MetricsLine.Value)] {
        let r = try await probeEvaluator.evaluate(Array(problems.prefix(count)), samplesPerProblem: k,
                                                     seed: configuration.seed &+ 0xB0B, on: pool)
        return [("probe_greedy_accuracy", .number(r.greedyAccuracy)), ("probe_mean_at_k", .number(r.meanAtK)),
                ("probe_k", .number(Double(k)))]
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
