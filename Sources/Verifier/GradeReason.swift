/// Why a completion earned the grade it did; every grade carries exactly one.
///
/// The raw values are the snake_case codes written to logs and sent over the wire.
public enum GradeReason: String, Sendable, CaseIterable, Codable {
    /// The extracted answer is equivalent to the gold answer.
    case correct
    /// An answer was extracted and understood, and it is not equivalent to the gold answer.
    case wrong
    /// The completion holds no final answer (no `\boxed{}`, `####`, answer phrase or number), or its last
    /// `\boxed{` is never closed (a completion cut off mid-answer).
    case noAnswerFound = "no_answer_found"
    /// An answer was extracted but is not an expression the verifier can read (and is not identical to the gold).
    case unparseablePrediction = "unparseable_prediction"
    /// The gold answer itself cannot be read; such a gold never earns any completion a reward.
    case unparseableGold = "unparseable_gold"
    /// A configured limit (input size, nesting, exponent, integer size, work budget) stopped the grading; see
    /// `Grade.limit` for which one.
    case limitExceeded = "limit_exceeded"
}
