/// Why a completion ended.
public enum FinishReason: Sendable, Equatable, Hashable, Codable {
    /// It generated this stop token id (the last token of the completion).
    case stopToken(Int32)
    /// Its decoded text came to contain this stop string.
    case stopString(String)
    /// It reached `maxNewTokens`.
    case length
}
