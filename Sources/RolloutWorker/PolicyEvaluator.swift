import Foundation
import Policy
import Primitives
import Protocol
import Tasks

/// Accuracy of the current policy on held-out problems: greedy accuracy, and mean@k / pass@k from k samples.
public struct EvaluationResult: Sendable, Equatable, Codable {
    public var problems: Int
    /// Fraction answered correctly with greedy decoding.
    public var greedyAccuracy: Double
    /// k samples per problem at the sampling temperature (0 when sampling was skipped).
    public var samplesPerProblem: Int
    /// Mean fraction of correct samples per problem.
    public var meanAtK: Double
    /// Fraction of problems with at least one correct sample.
    public var passAtK: Double
    public var seconds: Double
}

/// Runs a policy over held-out problems through the same generation and grading path as training.
public final class PolicyEvaluator {
    public let generator: GroupGenerator
    public let samplingGenerator: GroupGenerator?
    public let batchSize: Int

    /// `greedy` decodes at temperature 0; `sampled` (optional) draws k samples per problem for mean@k/pass@k.
    public init(greedy: GroupGenerator, sampled: GroupGenerator? = nil, batchSize: Int = 64) {
        generator = greedy
        samplingGenerator = sampled
        self.batchSize = max(1, batchSize)
    }

    /// Greedy accuracy on `problems`, and mean@k / pass@k from `k` samples each when a sampling generator is set.
    /// Sampling runs on `pool` (blocking CPU work), grading through the generators' grader.
    public func evaluate(_ problems: [MathProblem], samplesPerProblem k: Int = 0, seed: UInt64 = 0,
                         on pool: ThreadPool) async throws -> EvaluationResult {
        let clock = ContinuousClock()
        let start = clock.now
        var correct = 0
        for chunk in stride(from: 0, to: problems.count, by: batchSize) {
            let leases = Self.leases(problems[chunk..<min(chunk + batchSize, problems.count)], groupSize: 1, offset: chunk)
            correct += try await generator.generate(leases, policyVersion: 0, seed: seed, on: pool)
                .filter { $0.completions[0].correct }.count
        }
        var meanAtK = 0.0, passAtK = 0.0
        if let sampler = samplingGenerator, k > 0 {
            let perBatch = max(1, batchSize / k)
            for chunk in stride(from: 0, to: problems.count, by: perBatch) {
                let leases = Self.leases(problems[chunk..<min(chunk + perBatch, problems.count)], groupSize: k, offset: chunk)
                for group in try await sampler.generate(leases, policyVersion: 0, seed: seed &+ UInt64(chunk), on: pool) {
                    let right = group.completions.filter(\.correct).count
                    meanAtK += Double(right) / Double(k)
                    passAtK += right > 0 ? 1 : 0
                }
            }
        }
        let n = Double(max(problems.count, 1))
        return EvaluationResult(problems: problems.count, greedyAccuracy: Double(correct) / n,
                                samplesPerProblem: samplingGenerator == nil ? 0 : k, meanAtK: meanAtK / n,
                                passAtK: passAtK / n, seconds: (clock.now - start).seconds)
    }

    /// Leases for local evaluation (ids are positions in the problem list).
    static func leases(_ problems: ArraySlice<MathProblem>, groupSize: Int, offset: Int) -> [PromptLease] {
        problems.enumerated().map { i, p in
            PromptLease(leaseID: UInt64(offset + i), promptIndex: UInt64(offset + i), prompt: p.question,
                        goldAnswer: p.goldAnswer, groupSize: UInt32(groupSize), expiresInMilliseconds: 0)
        }
    }
}
