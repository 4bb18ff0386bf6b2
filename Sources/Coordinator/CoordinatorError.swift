/// Errors of the coordinator.
public enum CoordinatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ledger file cannot be read, written or made durable.
    case ledger(String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .ledger(why): "lease ledger: \(why)"
        case let .invalidConfiguration(why): "invalid coordinator configuration: \(why)"
        }
    }
}
