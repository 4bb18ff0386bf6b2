import Protocol

/// Checks a rollout group before it can reach the model: token ids inside the vocabulary, lengths that fit,
/// finite log-probs and rewards, a policy version the learner knows. Array lengths are already consistent
/// (the Protocol decoder refuses groups whose token and log-prob counts differ).
public struct GroupValidator: Sendable {
    public var vocabularySize: Int
    /// The model's positions: prompt + completion must fit.
    public var maxPositions: Int
    /// The run's group size G; nil accepts any size ≥ 1.
    public var groupSize: Int?
    /// Log-probs may exceed 0 by this much (float rounding in a sampler's softmax), no more.
    public var logProbSlack: Float = 1e-3

    public init(vocabularySize: Int, maxPositions: Int, groupSize: Int? = nil) {
        self.vocabularySize = vocabularySize
        self.maxPositions = maxPositions
        self.groupSize = groupSize
    }

    /// Nil if the group is usable now that the learner publishes `currentVersion`.
    public func rejection(of group: RolloutGroup, currentVersion: UInt64) -> GroupRejection? {
        if group.completions.isEmpty { return .noCompletions }
        if let groupSize, group.completions.count != groupSize {
            return .wrongGroupSize(size: group.completions.count, expected: groupSize)
        }
        if group.promptTokens.isEmpty { return .emptyPrompt }
        if group.policyVersion > currentVersion {
            return .unknownPolicyVersion(version: group.policyVersion, current: currentVersion)
        }
        if let bad = group.promptTokens.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
            return .tokenOutOfVocabulary(completion: nil, token: bad, vocabularySize: vocabularySize)
        }
        for (i, c) in group.completions.enumerated() {
            if !c.reward.isFinite { return .nonFiniteReward(completion: i) }
            if group.promptTokens.count + c.tokens.count > maxPositions {
                return .tooLong(tokens: group.promptTokens.count + c.tokens.count, maxPositions: maxPositions)
            }
            if let bad = c.tokens.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
                return .tokenOutOfVocabulary(completion: i, token: bad, vocabularySize: vocabularySize)
            }
            for (t, lp) in c.policyLogProbs.enumerated() {
                if !lp.isFinite { return .nonFiniteLogProb(completion: i, position: t) }
                if lp > logProbSlack { return .positiveLogProb(completion: i, position: t, value: lp) }
            }
        }
        return nil
    }
}

/// How far behind the learner a group's policy may be: staleness = learner version − group's policy version.
/// 0 accepts only groups sampled by the newest weights (strictly on-policy).
public struct StalenessPolicy: Sendable, Equatable, Codable {
    public var maxStaleness: UInt64

    public init(maxStaleness: UInt64) { self.maxStaleness = maxStaleness }

    public func staleness(of group: RolloutGroup, currentVersion: UInt64) -> UInt64 {
        currentVersion >= group.policyVersion ? currentVersion - group.policyVersion : 0
    }

    public func isTooStale(_ group: RolloutGroup, currentVersion: UInt64) -> Bool {
        staleness(of: group, currentVersion: currentVersion) > maxStaleness
    }
}
