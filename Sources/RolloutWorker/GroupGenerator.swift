import Foundation
import Policy
import Protocol
import Tasks

/// Turns prompt leases into scored rollout groups: prompt → G completions with the KV-cache sampler →
/// verifier grades → one `RolloutGroup` per lease, whole (a partial group would break the group baseline).
///
/// Every completion carries its tokens, the log-probs under the distribution it was sampled from, and under
/// the policy at temperature 1 (the learner's ℓ^old). Not thread-safe: one generator per thread.
public final class GroupGenerator {
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

    /// Generates and grades one group per lease, all leases batched through the sampler together.
    /// `seed` makes the sampling reproducible; `policyVersion` is recorded in every group.
    public func generate(_ leases: [PromptLease], policyVersion: UInt64, seed: UInt64) throws -> [RolloutGroup] {
        guard let groupSize = leases.first.map({ Int($0.groupSize) }), !leases.isEmpty else { return [] }
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
        var groups: [RolloutGroup] = []
        for (p, lease) in leases.enumerated() {
            let mine = completions[(p * groupSize)..<((p + 1) * groupSize)]
            let texts = mine.map { tokenizer.decode($0.tokens, skipSpecialTokens: true) }
            let grades = try grader.grade(completions: texts, gold: lease.goldAnswer)
            let scored = zip(zip(mine, texts), grades).map { pair, grade in
                ScoredCompletion(tokens: WireArray(pair.0.tokens), samplerLogProbs: WireArray(pair.0.samplingLogProbs),
                                 policyLogProbs: WireArray(pair.0.policyLogProbs), finishReason: Self.finish(pair.0.finishReason),
                                 reward: grade.reward, correct: grade.correct, verdict: grade.reason, text: pair.1)
            }
            groups.append(RolloutGroup(
                leaseID: lease.leaseID, promptIndex: lease.promptIndex, workerID: workerID, policyVersion: policyVersion,
                prompt: lease.prompt, promptTokens: WireArray(prompts[p]), goldAnswer: lease.goldAnswer,
                temperature: sampling.temperature, topP: sampling.topP, topK: UInt32(sampling.topK),
                maxNewTokens: UInt32(sampling.maxNewTokens), generationSeconds: 0, completions: scored))
        }
        let seconds = Float((clock.now - start).components.seconds) + Float((clock.now - start).components.attoseconds) * 1e-18
        for i in groups.indices { groups[i].generationSeconds = seconds / Float(groups.count) }
        return groups
    }

    static func finish(_ reason: FinishReason) -> ScoredCompletion.FinishReason {
        switch reason {
        case .stopToken: .stopToken
        case .stopString: .stopString
        case .length: .length
        }
    }
}
