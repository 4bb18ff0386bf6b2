/// Errors of the rollout worker.
public enum RolloutWorkerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The verifier answered, but not with one grade per completion of the request.
    case badVerifierResponse(String)

    public var description: String {
        switch self {
        case let .badVerifierResponse(why): "verifier response does not match the request: \(why)"
        }
    }
}
