import Protocol

/// Why the learner refused a rollout group. Refused groups are counted, logged once each and their leases
/// returned to the coordinator; the service keeps serving.
public enum GroupRejection: Error, Sendable, Equatable, CustomStringConvertible {
    case noCompletions
    case emptyPrompt
    case tokenOutOfVocabulary(completion: Int?, token: Int32, vocabularySize: Int)
    case tooLong(tokens: Int, maxPositions: Int)
    case nonFiniteLogProb(completion: Int, position: Int)
    case positiveLogProb(completion: Int, position: Int, value: Float)
    case nonFiniteReward(completion: Int)
    /// Sampled by a weight version the learner has not published yet.
    case unknownPolicyVersion(version: UInt64, current: UInt64)
    /// The group size differs from the run's G (a partial group breaks the group baseline).
    case wrongGroupSize(size: Int, expected: Int)

    /// Stable name for logs and metrics.
    public var code: String {
        switch self {
        case .noCompletions: "no_completions"
        case .emptyPrompt: "empty_prompt"
        case .tokenOutOfVocabulary: "token_out_of_vocabulary"
        case .tooLong: "too_long"
        case .nonFiniteLogProb: "non_finite_logprob"
        case .positiveLogProb: "positive_logprob"
        case .nonFiniteReward: "non_finite_reward"
        case .unknownPolicyVersion: "unknown_policy_version"
        case .wrongGroupSize: "wrong_group_size"
        }
    }

    public var description: String {
        switch self {
        case .noCompletions: "group has no completions"
        case .emptyPrompt: "group has an empty prompt"
        case let .tokenOutOfVocabulary(c, t, v): "token \(t) outside the vocabulary of \(v)" + (c.map { " in completion \($0)" } ?? " in the prompt")
        case let .tooLong(n, m): "prompt + completion of \(n) tokens exceeds the model's \(m) positions"
        case let .nonFiniteLogProb(c, p): "non-finite log-prob at completion \(c), token \(p)"
        case let .positiveLogProb(c, p, v): "log-prob \(v) > 0 at completion \(c), token \(p)"
        case let .nonFiniteReward(c): "non-finite reward for completion \(c)"
        case let .unknownPolicyVersion(v, cur): "sampled by version \(v), but the learner is at \(cur)"
        case let .wrongGroupSize(s, e): "group of \(s) completions, expected \(e)"
        }
    }
}
