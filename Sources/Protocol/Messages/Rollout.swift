// Rollout groups (worker PUSH → learner PULL): G completions of one prompt, generated, scored and shipped whole.

/// One sampled completion with everything the learner needs for the importance ratio and the loss.
public struct ScoredCompletion: WireCodable, Equatable {
    /// Why a completion ended.
    public enum FinishReason: UInt8, Sendable, CaseIterable {
        /// The model produced a stop (end-of-sequence) token.
        case stopToken = 0
        /// The completion reached `maxNewTokens`.
        case length = 1
        /// A stop string appeared in the decoded text.
        case stopString = 2
    }

    /// Sampled token ids, `[T]`.
    public var tokens: WireArray<Int32>
    /// Log-prob of each token under the distribution actually sampled from (after temperature/top-p/top-k), `[T]`.
    public var samplerLogProbs: WireArray<Float>
    /// Log-prob of each token under the sampling policy at temperature 1, `[T]`: the learner's ℓ^old.
    public var policyLogProbs: WireArray<Float>
    public var finishReason: FinishReason
    /// The verifier's reward (after shaping).
    public var reward: Float
    /// Whether the verifier judged the final answer correct.
    public var correct: Bool
    /// The verifier's reason code (`correct`, `wrong`, `no_answer_found`, ...).
    public var verdict: String
    /// The decoded completion (for sample logs; may be empty).
    public var text: String

    public init(tokens: WireArray<Int32>, samplerLogProbs: WireArray<Float>, policyLogProbs: WireArray<Float>,
                finishReason: FinishReason, reward: Float, correct: Bool, verdict: String, text: String) {
        self.tokens = tokens
        self.samplerLogProbs = samplerLogProbs
        self.policyLogProbs = policyLogProbs
        self.finishReason = finishReason
        self.reward = reward
        self.correct = correct
        self.verdict = verdict
        self.text = text
    }

    static let minimumEncodedSize = 4 + 4 + 4 + 1 + 4 + 1 + 4 + 4

    public func encode(to w: inout WireWriter) {
        w.write(tokens)
        w.write(samplerLogProbs)
        w.write(policyLogProbs)
        w.write(finishReason.rawValue)
        w.write(reward)
        w.write(correct)
        w.write(verdict)
        w.write(text)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        tokens = try r.readWireArray(of: Int32.self, "tokens")
        samplerLogProbs = try r.readWireArray(of: Float.self, "sampler_logprobs")
        policyLogProbs = try r.readWireArray(of: Float.self, "policy_logprobs")
        guard samplerLogProbs.count == tokens.count, policyLogProbs.count == tokens.count else {
            throw r.malformed("logprobs", "\(tokens.count) tokens but \(samplerLogProbs.count) sampler and "
                                + "\(policyLogProbs.count) policy log-probs")
        }
        let reason = try r.read(UInt8.self, "finish_reason")
        guard let finish = FinishReason(rawValue: reason) else { throw r.malformed("finish_reason", "value \(reason)") }
        finishReason = finish
        reward = try r.readFloat("reward")
        correct = try r.readBool("correct")
        verdict = try r.readString("verdict")
        text = try r.readString("text")
    }
}

/// A whole group: one prompt, G scored completions, and where they came from.
public struct RolloutGroup: WireMessage {
    public static let messageType = MessageType.rolloutGroup
    public var leaseID: UInt64
    public var promptIndex: UInt64
    public var workerID: String
    /// The weight version that sampled every completion of the group.
    public var policyVersion: UInt64
    public var prompt: String
    /// The prompt as token ids, `[P]`.
    public var promptTokens: WireArray<Int32>
    public var goldAnswer: String
    public var temperature: Float
    public var topP: Float
    /// 0 = no top-k cut.
    public var topK: UInt32
    public var maxNewTokens: UInt32
    /// Wall-clock seconds the worker spent generating and scoring the group.
    public var generationSeconds: Float
    public var completions: [ScoredCompletion]

    public init(leaseID: UInt64, promptIndex: UInt64, workerID: String, policyVersion: UInt64, prompt: String,
                promptTokens: WireArray<Int32>, goldAnswer: String, temperature: Float, topP: Float, topK: UInt32,
                maxNewTokens: UInt32, generationSeconds: Float, completions: [ScoredCompletion]) {
        self.leaseID = leaseID
        self.promptIndex = promptIndex
        self.workerID = workerID
        self.policyVersion = policyVersion
        self.prompt = prompt
        self.promptTokens = promptTokens
        self.goldAnswer = goldAnswer
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.maxNewTokens = maxNewTokens
        self.generationSeconds = generationSeconds
        self.completions = completions
    }

    public func encode(to w: inout WireWriter) {
        w.write(leaseID)
        w.write(promptIndex)
        w.write(workerID)
        w.write(policyVersion)
        w.write(prompt)
        w.write(promptTokens)
        w.write(goldAnswer)
        w.write(temperature)
        w.write(topP)
        w.write(topK)
        w.write(maxNewTokens)
        w.write(generationSeconds)
        w.write(completions)
    }

    public init(from r: inout WireReader) throws(ProtocolError) {
        leaseID = try r.read(UInt64.self, "lease_id")
        promptIndex = try r.read(UInt64.self, "prompt_index")
        workerID = try r.readString("worker_id")
        policyVersion = try r.read(UInt64.self, "policy_version")
        prompt = try r.readString("prompt")
        promptTokens = try r.readWireArray(of: Int32.self, "prompt_tokens")
        goldAnswer = try r.readString("gold_answer")
        temperature = try r.readFloat("temperature")
        topP = try r.readFloat("top_p")
        topK = try r.read(UInt32.self, "top_k")
        maxNewTokens = try r.read(UInt32.self, "max_new_tokens")
        generationSeconds = try r.readFloat("generation_seconds")
        completions = try r.readArray(of: ScoredCompletion.self, "completions", minimumElementSize: ScoredCompletion.minimumEncodedSize)
    }
}
