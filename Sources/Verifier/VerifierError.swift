/// Errors of the Verifier module's throwing entry points (the dataset adapters). Grading itself never throws:
/// every problem with a completion or gold becomes a `GradeReason`.
public enum VerifierError: Error, Sendable, Equatable {
    /// A GSM8K `answer` field has no `####` line, or nothing after it.
    case missingHashMarker(field: String)
    /// A MATH `solution` field has no complete `\boxed{...}` / `\fbox{...}`.
    case missingBoxedAnswer(field: String)
    /// The field is longer than `VerifierLimits.maxAnswerBytes` allows for a gold answer.
    case fieldTooLong(field: String, bytes: Int, limit: Int)
}
