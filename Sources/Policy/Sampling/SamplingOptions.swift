/// How the sampler turns the model's next-token distribution into tokens, and when a completion ends.
///
/// The distribution actually sampled from is built as in Hugging Face `generate`: logits divided by
/// `temperature`, restricted to the `topK` most likely tokens, then to the smallest most-likely set whose
/// probability reaches `topP`, renormalised. `temperature == 0` is greedy decoding.
public struct SamplingOptions: Sendable, Equatable, Hashable, Codable {
    /// Softmax temperature (> 0), or 0 for greedy (argmax) decoding.
    public var temperature: Float
    /// Nucleus mass in (0, 1]; 1 disables it.
    public var topP: Float
    /// Keep only the k most likely tokens; 0 disables it.
    public var topK: Int
    /// Upper bound on generated tokens per completion (≥ 1), stop token included.
    public var maxNewTokens: Int
    /// Generating any of these ends the completion (the token is kept, with its log-probs).
    public var stopTokenIDs: Set<Int32>
    /// The completion ends once its decoded text contains one of these (needs a decoder; the tokens that
    /// completed the string are kept).
    public var stopStrings: [String]

    public init(temperature: Float = 1, topP: Float = 1, topK: Int = 0, maxNewTokens: Int = 256,
                stopTokenIDs: Set<Int32> = [], stopStrings: [String] = []) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.maxNewTokens = maxNewTokens
        self.stopTokenIDs = stopTokenIDs
        self.stopStrings = stopStrings
    }

    /// Greedy decoding of up to `maxNewTokens` tokens.
    public static func greedy(maxNewTokens: Int, stopTokenIDs: Set<Int32> = []) -> SamplingOptions {
        SamplingOptions(temperature: 0, maxNewTokens: maxNewTokens, stopTokenIDs: stopTokenIDs)
    }

    /// Throws `EngineError.invalidOption` naming the first field outside its domain.
    func validate() throws {
        func fail(_ name: String, _ value: Any, _ reason: String) -> EngineError {
            .invalidOption(name: name, value: "\(value)", reason: reason)
        }
        guard temperature.isFinite, temperature >= 0 else { throw fail("temperature", temperature, "must be ≥ 0") }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw fail("topP", topP, "must be in (0, 1]") }
        guard topK >= 0 else { throw fail("topK", topK, "must be ≥ 0 (0 disables it)") }
        guard maxNewTokens >= 1 else { throw fail("maxNewTokens", maxNewTokens, "must be ≥ 1") }
        guard !stopStrings.contains("") else { throw fail("stopStrings", "\"\"", "must not contain an empty string") }
    }
}
