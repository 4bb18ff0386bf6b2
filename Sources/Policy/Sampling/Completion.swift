/// One generated completion and the per-token log-probs the learner needs.
///
/// `samplingLogProbs[t]` is the log-probability of `tokens[t]` under the distribution it was actually drawn
/// from (after temperature, top-k and top-p; 0 under greedy decoding); `policyLogProbs[t]` is its
/// log-probability under the plain policy at temperature 1 (the importance ratio's denominator).
public struct Completion: Sendable, Equatable, Hashable, Codable {
    /// Index of the prompt in the request.
    public var promptIndex: Int
    /// The new tokens (without the prompt), ending with the stop token when there was one.
    public var tokens: [Int32]
    public var finishReason: FinishReason
    public var samplingLogProbs: [Float]
    public var policyLogProbs: [Float]

    public init(promptIndex: Int, tokens: [Int32], finishReason: FinishReason, samplingLogProbs: [Float],
                policyLogProbs: [Float]) {
        self.promptIndex = promptIndex
        self.tokens = tokens
        self.finishReason = finishReason
        self.samplingLogProbs = samplingLogProbs
        self.policyLogProbs = policyLogProbs
    }
}
