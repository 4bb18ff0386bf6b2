import Foundation
import Policy
import Primitives
import Protocol
import Tasks

/// Turns prompt leases into scored rollout groups: prompt → G completions with the KV-cache sampler →
/// verifier grades → one `RolloutGroup` per lease, whole (a partial group would break the group baseline).
///
/// Every completion carries its tokens, the log-probs under the distribution it was sampled from, and under
/// the policy at temperature 1 (the learner's ℓ^old). Sampling is blocking CPU work (`sample`, run it on a
/// thread of your own, e.g. a `ThreadPool`); grading awaits the grader (`grade`). `generate` does both.
/// Not thread-safe: one call at a time.
public final class GroupGenerator {
    /// One lease's G completions, sampled but not yet graded.
    public struct SampledGroup {
        public var lease: PromptLease
        public var promptTokens: [Int32]
        public var completions: [Completion]
        /// The completions as text (special tokens dropped): what the grader reads.
        public var texts: [String]
        /// This group's share of the sampling time.
        public var seconds: Double
    }

    public let sampler: Sampler
    public let tokenizer: any Tokenizer
    public let template: PromptTemplate
    public let grader: any AnswerGrader
    public let sampling: SamplingOptions
    public let workerID: String

    public init(sampler: Sampler, tokenizer: any Tokenizer, template: PromptTemplate, grader: any AnswerGrader,
                sampling: SamplingOptions, workerID: String) {
        self.sampler = sampler
        self.tokenizer = tokenizer
        self.template = template
        self.grader = grader
        var sampling = sampling
        if let eos = tokenizer.specialTokens.eos { sampling.stopTokenIDs.insert(eos) }
        self.sampling = sampling
        self.workerID = workerID
    }

    /// The prompt's token ids under the template.
    public func promptTokens(_ question: String) -> [Int32] {
        tokenizer.encode(template.render(question))
    }

    /// Samples G completions per lease, all leases batched through the sampler together (blocking).
    /// `seed` makes the sampling reproducible.
    public func sample(_ leases: [PromptLease], seed: UInt64) throws -> [SampledGroup] {
        guard let groupSize = leases.first.map({ Int($0.groupSize) }) else { return [] }
        precondition(leases.allSatisfy { Int($0.groupSize) == groupSize }, "leases of one call share a group size")
        let clock = ContinuousClock()
        let start = clock.now
        let prompts = leases.map { promptTokens($0.prompt) }
        let tokenizer = self.tokenizer
        let completions = try sampler.sample(prompts: prompts, completionsPerPrompt: groupSize,
                                             options: sampling, seed: seed,
                                             decode: sampling.stopStrings.isEmpty ? nil : { ids in
                                                 tokenizer.decode(ids, skipSpecialTokens: true)
                                             })
        let share = (clock.now - start).seconds / Double(leases.count)
        return leases.enumerated().map { p, lease in
            let mine = Array(completions[(p * groupSize)..<((p + 1) * groupSize)])
            return SampledGroup(lease: lease, promptTokens: prompts[p], completions: mine,
                                texts: mine.map { tokenizer.decode($0.tokens, skipSpecialTokens: true) }, seconds: share)
        }
    }

    /// Grades sampled groups (all of them at once: a remote verifier sees them in parallel) into rollout groups
    /// recording `policyVersion`, in the order given.
    public func grade(_ sampled: [SampledGroup], policyVersion: UInt64) async throws -> [RolloutGroup] {
        let grader = self.grader
        let grades = try await withThrowingTaskGroup(of: (Int, [VerifyGrade]).self) { tasks in
            for (i, group) in sampled.enumerated() {
                let texts = group.texts, gold = group.lease.goldAnswer
                tasks.addTask { (i, try await grader.grade(completions: texts, gold: gold)) }
            }
            var byGroup = [[VerifyGrade]](repeating: [], count: sampled.count)
            for try await (i, g) in tasks { byGroup[i] = g }
            return byGroup
        }
        return zip(sampled, grades).map { group, grades in rolloutGroup(group, grades: grades, policyVersion: policyVersion) }
    }

    /// `sample` on `pool`, then `grade`.
    public func generate(_ leases: [PromptLease], policyVersion: UInt64, seed: UInt64,
                         on pool: ThreadPool) async throws -> [RolloutGroup] {
        let sampled = try await pool.run { try self.sample(leases, seed: seed) }
        return try await grade(sampled, policyVersion: policyVersion)
    }

    private func rolloutGroup(_ group: SampledGroup, grades: [VerifyGrade], policyVersion: UInt64) -> RolloutGroup {
        let scored = zip(zip(group.completions, group.texts), grades).map { pair, grade in
            ScoredCompletion(tokens: WireArray(pair.0.tokens), samplerLogProbs: WireArray(pair.0.samplingLogProbs),
                             policyLogProbs: WireArray(pair.0.policyLogProbs), finishReason: Self.finish(pair.0.finishReason),
                             reward: grade.reward, correct: grade.correct, verdict: grade.reason, text: pair.1)
        }
        return RolloutGroup(
            leaseID: group.lease.leaseID, promptIndex: group.lease.promptIndex, workerID: workerID,
            policyVersion: policyVersion, prompt: group.lease.prompt, promptTokens: WireArray(group.promptTokens),
            goldAnswer: group.lease.goldAnswer, temperature: sampling.temperature, topP: sampling.topP,
            topK: UInt32(sampling.topK), maxNewTokens: UInt32(sampling.maxNewTokens),
            generationSeconds: Float(group.seconds), completions: scored)
    }

    static func finish(_ reason: FinishReason) -> ScoredCompletion.FinishReason {
        switch reason {
        case .stopToken: .stopToken
        case .stopString: .stopString
        case .length: .length
        }
    }
}
