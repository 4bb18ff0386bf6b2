/// Token sequences to score: each is a prompt followed by a completion, and only the tokens from
/// `scoreStart` on are scored (their log-probs computed, their gradients taken).
///
/// A sequence of L tokens feeds its first L − 1 tokens through the model (the last token is only a target),
/// so the batch costs Σ(L − 1) token positions and no padding. Supervised training on a whole sequence is
/// `scoreStart = 1`.
public struct TokenBatch: Sendable, Equatable {
    /// One sequence and where its scored part begins.
    public struct ScoredSequence: Sendable, Equatable {
        /// Token ids (`Int32`, as `Tokenizer` produces them).
        public var tokens: [Int32]
        /// Index of the first scored token, in `1..<tokens.count` (e.g. the prompt length).
        public var scoreStart: Int

        public init(tokens: [Int32], scoreStart: Int) {
            self.tokens = tokens
            self.scoreStart = scoreStart
        }

        /// How many tokens are scored: `tokens.count − scoreStart`.
        public var scoredCount: Int { tokens.count - scoreStart }
    }

    public var sequences: [ScoredSequence]

    public init(sequences: [ScoredSequence]) {
        self.sequences = sequences
    }

    /// Prompt/completion pairs: sequence i is `prompts[i] + completions[i]`, scored over the completion.
    public init(prompts: [[Int32]], completions: [[Int32]]) {
        precondition(prompts.count == completions.count, "one completion per prompt")
        sequences = zip(prompts, completions).map { ScoredSequence(tokens: $0 + $1, scoreStart: $0.count) }
    }

    /// Total number of scored tokens (the length of `TokenScores.logProbs`).
    public var scoredTokenCount: Int { sequences.reduce(0) { $0 + $1.scoredCount } }
}
