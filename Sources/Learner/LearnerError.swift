/// Errors of the learner: bad configuration, unusable input, checkpoint problems.
public enum LearnerError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case emptyBatch
    /// A checkpoint that cannot be used: the directory, and why (truncated, checksum mismatch, missing file…).
    case corruptCheckpoint(path: String, reason: String)
    case noCheckpoint(directory: String)
    /// A checkpoint for another model (parameter layout or config differs).
    case checkpointMismatch(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(why): "invalid learner configuration: \(why)"
        case .emptyBatch: "a learner step needs at least one group"
        case let .corruptCheckpoint(path, reason): "checkpoint \(path) is unusable: \(reason)"
        case let .noCheckpoint(directory): "no usable checkpoint in \(directory)"
        case let .checkpointMismatch(path, reason): "checkpoint \(path) does not fit this model: \(reason)"
        }
    }
}
