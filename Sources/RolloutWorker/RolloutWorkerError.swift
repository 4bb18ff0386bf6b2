/// Errors of the rollout worker.
public enum RolloutWorkerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The verifier answered, but not with one grade per completion of the request.
    case badVerifierResponse(String)
    /// Weights that cannot be used (another model, no payload, a failed check): refused, fetched again.
    case badWeights(String)

    public var description: String {
        switch self {
        case let .badVerifierResponse(why): "verifier response does not match the request: \(why)"
        case let .badWeights(why): "weights refused: \(why)"
        }
    }
}
