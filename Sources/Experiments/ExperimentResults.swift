import Foundation
import Reports

/// One finished run, reduced to what an experiment compares.
public struct RunResult: Sendable, Codable, Equatable {
    /// One held-out evaluation, with the completions sampled for RL before it.
    public struct Point: Sendable, Codable, Equatable {
        public var step: Int
        public var samples: Int
        public var greedyAccuracy: Double
        public var meanAtK: Double?
        public var passAtK: Double?

        /// `greedyAccuracy` where a key path to an optional is wanted.
        var greedyAccuracyValue: Double? { greedyAccuracy }
    }

    public var arm: String
    public var seed: UInt64
    public var method: String
    public var steps: Int
    public var completionsSampled: Int
    public var warmStartGreedy: Double
    public var warmStartMeanAtK: Double?
    public var finalGreedy: Double
    public var finalMeanAtK: Double?
    public var finalPassAtK: Double?
    /// The first evaluation at or above the target accuracy (nil: never reached, or no target).
    public var stepsToTarget: Int?
    public var samplesToTarget: Int?
    /// Means over the run's steps.
    public var responseLength: Double?
    public var clipFraction: Double?
    public var approxKL: Double?
    /// Weight versions between the sampler and the learner (0 on-policy; a fleet up to `max_staleness`).
    public var staleness: Double?
    /// λ-GRPO's learned length preference after the last step.
    public var finalLambda: Double?
    public var minutes: Double
    public var curve: [Point]
    /// Per step (index = step − 1): mean response length and, for λ-GRPO, λ.
    public var responseLengthByStep: [Double]
    public var lambdaByStep: [Double]

    /// Reads a finished run directory (summary.json, metrics.jsonl, config.json).
    public static func load(_ directory: URL, arm: String, seed: UInt64, target: ExperimentConfiguration.Target?) throws -> RunResult {
        let record = RunRecord.load(directory, name: "\(arm)/seed-\(seed)")
        guard let summary = record.summary, let finalGreedy = summary["final_accuracy"]?.double,
              let warmGreedy = summary["warm_start_accuracy"]?.double else {
            throw ExperimentError.mismatchedRun("\(directory.path) has no finished summary.json")
        }
        let groupSize = Int(record.config("group_size")?.double ?? 8)
        let groupsPerStep = Int(record.config("groups_per_step")?.double ?? 64)
        let steps = record.effectiveSteps
        // groups_received counts from the start of the learner process: a resumed run (or a learner the fleet
        // restarted) counts again from 0, so a drop adds what the previous process had counted.
        var groupsByStep: [Int: Double] = [:]
        var offset = 0.0, previous = 0.0
        for s in steps.sorted(by: { $0.step < $1.step }) {
            guard let g = s["groups_received"] else { continue }
            if g < previous { offset += previous }
            previous = g
            groupsByStep[s.step] = g + offset
        }
        func samples(atStep step: Int) -> Int {
            if step == 0 { return 0 }
            if let g = groupsByStep[step] { return Int(g) * groupSize }
            return step * groupsPerStep * groupSize
        }
        // The warm start's own evaluation and the run's first one share step 0: keep the last of each step.
        var byStep: [Int: RunRecord.Evaluation] = [:]
        for e in record.evaluations { byStep[e.step] = e }
        let curve = byStep.keys.sorted().compactMap { step -> Point? in
            guard let e = byStep[step], let greedy = e.greedyAccuracy else { return nil }
            return Point(step: step, samples: samples(atStep: step), greedyAccuracy: greedy, meanAtK: e.meanAtK, passAtK: e.passAtK)
        }
        let threshold = target?.threshold(warmStart: warmGreedy)
        let reached = threshold.flatMap { t in curve.first { $0.greedyAccuracy >= t - 1e-9 } }
        func mean(_ key: String) -> Double? {
            let values = steps.compactMap { $0[key] }.filter(\.isFinite)
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        let lastStep = steps.map(\.step).max() ?? 0
        return RunResult(
            arm: arm, seed: seed, method: record.method ?? "?", steps: Int(summary["steps"]?.double ?? Double(lastStep)),
            completionsSampled: summary["completions_sampled"]?.double.map { Int($0) } ?? samples(atStep: lastStep),
            warmStartGreedy: warmGreedy, warmStartMeanAtK: summary["warm_start_mean_at_k"]?.double,
            finalGreedy: finalGreedy, finalMeanAtK: summary["final_mean_at_k"]?.double,
            finalPassAtK: curve.last?.passAtK, stepsToTarget: reached?.step, samplesToTarget: reached?.samples,
            responseLength: mean("response_length_mean"), clipFraction: mean("clip_fraction"), approxKL: mean("approx_kl"),
            staleness: mean("staleness_mean"),
            finalLambda: steps.last?["lambda"], minutes: (summary["seconds"]?.double ?? 0) / 60, curve: curve,
            responseLengthByStep: steps.compactMap { $0["response_length_mean"] },
            lambdaByStep: steps.compactMap { $0["lambda"] })
    }
}

/// An arm over its seeds: each figure as mean ± 95% CI, and the paired difference against the baseline arm.
public struct ArmSummary: Sendable, Codable, Equatable {
    public struct Paired: Sendable, Codable, Equatable {
        public var baseline: String
        public var seeds: [UInt64]
        public var greedy: Estimate
        public var meanAtK: Estimate?
    }

    public var arm: String
    public var method: String
    public var seeds: [UInt64]
    public var finalGreedy: Estimate
    public var finalMeanAtK: Estimate?
    public var finalPassAtK: Estimate?
    /// Final minus warm start, per seed.
    public var gainGreedy: Estimate
    public var gainMeanAtK: Estimate?
    /// Over the seeds that reached the target; `reachedTarget` says how many did.
    public var samplesToTarget: Estimate?
    public var reachedTarget: Int
    public var completionsSampled: Estimate
    public var responseLength: Estimate?
    public var clipFraction: Estimate?
    public var approxKL: Estimate?
    public var staleness: Estimate?
    public var finalLambda: Estimate?
    public var minutes: Estimate
    public var versusBaseline: Paired?

    public init(arm: String, runs: [RunResult], baseline: [RunResult]?, baselineName: String?) {
        func estimate(_ values: [Double?]) -> Estimate? {
            let present = values.compactMap { $0 }
            return present.count == values.count && !present.isEmpty ? Estimate(present) : nil
        }
        self.arm = arm
        method = runs.first?.method ?? "?"
        seeds = runs.map(\.seed)
        finalGreedy = Estimate(runs.map(\.finalGreedy))
        finalMeanAtK = estimate(runs.map(\.finalMeanAtK))
        finalPassAtK = estimate(runs.map(\.finalPassAtK))
        gainGreedy = Estimate(runs.map { $0.finalGreedy - $0.warmStartGreedy })
        gainMeanAtK = estimate(runs.map { r in r.finalMeanAtK.flatMap { f in r.warmStartMeanAtK.map { f - $0 } } })
        let reached = runs.compactMap(\.samplesToTarget).map(Double.init)
        samplesToTarget = reached.isEmpty ? nil : Estimate(reached)
        reachedTarget = reached.count
        completionsSampled = Estimate(runs.map { Double($0.completionsSampled) })
        responseLength = estimate(runs.map(\.responseLength))
        clipFraction = estimate(runs.map(\.clipFraction))
        approxKL = estimate(runs.map(\.approxKL))
        staleness = estimate(runs.map(\.staleness))
        finalLambda = estimate(runs.map(\.finalLambda))
        minutes = Estimate(runs.map(\.minutes))
        if let baseline, let baselineName, baselineName != arm {
            let pairs = runs.compactMap { r in baseline.first { $0.seed == r.seed }.map { (r, $0) } }
            if !pairs.isEmpty {
                versusBaseline = Paired(
                    baseline: baselineName, seeds: pairs.map(\.0.seed),
                    greedy: Estimate(pairs.map { $0.0.finalGreedy - $0.1.finalGreedy }),
                    meanAtK: estimate(pairs.map { p in p.0.finalMeanAtK.flatMap { a in p.1.finalMeanAtK.map { a - $0 } } }))
            }
        }
    }
}
