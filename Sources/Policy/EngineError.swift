/// Why the engine refused a batch, a prompt, a gradient or a set of weights.
///
/// Each case names the offending item (sequence index, position, tensor name) and the limit it broke, so a
/// message points at the exact input to fix.
public enum EngineError: Error, Sendable, Equatable {
    /// A batch or a sampling request with nothing in it.
    case emptyBatch
    /// `token` at `position` of sequence (or prompt) `sequence` is not in `0..<vocabSize`.
    case tokenOutOfRange(sequence: Int, position: Int, token: Int, vocabSize: Int)
    /// A sequence (or prompt plus new tokens) needs more positions than the model has.
    case sequenceTooLong(sequence: Int, length: Int, limit: Int)
    /// A scored sequence needs at least two tokens (a context and a target); a prompt at least one.
    case sequenceTooShort(sequence: Int, length: Int, minimum: Int)
    /// `scoreStart` must be in `1..<length`: the first token has no context to be scored from.
    case invalidScoreStart(sequence: Int, scoreStart: Int, length: Int)
    /// A per-token array does not have one entry per scored token of the last forward.
    case countMismatch(what: String, expected: Int, found: Int)
    /// `backward` was called without a preceding `forward(…, keepActivations: true)`.
    case noSavedActivations
    /// A parameter or gradient store laid out for a different model.
    case layoutMismatch(expected: Int, found: Int)
    /// A checkpoint tensor whose shape differs from the model's.
    case tensorShapeMismatch(name: String, expected: [Int], found: [Int])
    /// A sampling or optimizer option outside its domain (`reason` says which).
    case invalidOption(name: String, value: String, reason: String)
}

extension EngineError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyBatch: "empty batch"
        case let .tokenOutOfRange(sequence, position, token, vocabSize):
            "sequence \(sequence), position \(position): token \(token) is outside 0..<\(vocabSize)"
        case let .sequenceTooLong(sequence, length, limit):
            "sequence \(sequence): \(length) positions exceed the model's \(limit)"
        case let .sequenceTooShort(sequence, length, minimum):
            "sequence \(sequence): \(length) tokens, at least \(minimum) needed"
        case let .invalidScoreStart(sequence, scoreStart, length):
            "sequence \(sequence): scoreStart \(scoreStart) is outside 1..<\(length)"
        case let .countMismatch(what, expected, found): "\(what): expected \(expected) values, found \(found)"
        case .noSavedActivations: "backward needs a forward with keepActivations: true"
        case let .layoutMismatch(expected, found):
            "parameter store has \(found) elements, the model's layout \(expected)"
        case let .tensorShapeMismatch(name, expected, found): "\(name): shape \(found), the model needs \(expected)"
        case let .invalidOption(name, value, reason): "\(name) = \(value): \(reason)"
        }
    }
}
