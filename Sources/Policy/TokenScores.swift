/// The forward's per-token results for a `TokenBatch`, flattened sequence by sequence.
///
/// Sequence `i`'s scored tokens `scoreStart..<count` occupy `offsets[i]..<offsets[i + 1]` of each array, in
/// order. Log-probs are natural logs under the model at temperature 1.
public struct TokenScores: Sendable, Equatable {
    /// `log π(token_t | tokens_<t)` for every scored token.
    public var logProbs: [Float]
    /// The entropy (nats) of the model's next-token distribution at every scored position, when requested.
    public var entropies: [Float]?
    /// `sequences.count + 1` boundaries into the flat arrays.
    public var offsets: [Int]

    public init(logProbs: [Float], entropies: [Float]?, offsets: [Int]) {
        self.logProbs = logProbs
        self.entropies = entropies
        self.offsets = offsets
    }

    /// The log-probs of sequence `index`'s scored tokens.
    public func logProbs(ofSequence index: Int) -> ArraySlice<Float> {
        logProbs[offsets[index]..<offsets[index + 1]]
    }
}
