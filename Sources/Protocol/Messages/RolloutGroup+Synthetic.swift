extension RolloutGroup {
    /// A deterministic group whose encoded payload is about `payloadBytes` long: four completions of equal length
    /// with plausible token ids and log-probs. For benchmarks and tests of size-dependent behaviour.
    public static func synthetic(payloadBytes: Int) -> RolloutGroup {
        let completionCount = 4
        let bytesPerToken = 12  // token id + two log-probs
        let tokens = max(1, (payloadBytes - 200) / bytesPerToken / completionCount)
        var completions: [ScoredCompletion] = []
        for i in 0..<completionCount {
            let ids: [Int32] = (0..<tokens).map { (t: Int) -> Int32 in Int32((t * 31 + i) % 50_000) }
            let sampler: [Float] = (0..<tokens).map { (t: Int) -> Float in -Float(t % 97) / 13 }
            let policy: [Float] = (0..<tokens).map { (t: Int) -> Float in -Float(t % 89) / 11 }
            completions.append(ScoredCompletion(tokens: WireArray(ids), samplerLogProbs: WireArray(sampler), policyLogProbs: WireArray(policy),
                                          finishReason: .length, reward: Float(i % 2), correct: i % 2 == 1,
                                          verdict: i % 2 == 1 ? "correct" : "wrong", text: ""))
        }
        return RolloutGroup(leaseID: 1, promptIndex: 1, workerID: "synthetic", policyVersion: 1, prompt: "What is 2+3?",
                            promptTokens: [1, 2, 3, 4], goldAnswer: "5", temperature: 1, topP: 1, topK: 0,
                            maxNewTokens: UInt32(tokens), generationSeconds: 0, completions: completions)
    }
}
