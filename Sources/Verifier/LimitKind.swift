/// Which of the `VerifierLimits` stopped a grading; reported in `Grade.limit` with `GradeReason.limitExceeded`.
public enum LimitKind: String, Sendable, CaseIterable, Codable {
    /// The completion is longer than `VerifierLimits.maxCompletionBytes` (it is refused, not truncated).
    case completionLength = "completion_length"
    /// The extracted answer (or the gold) is longer than `VerifierLimits.maxAnswerBytes`.
    case answerLength = "answer_length"
    /// Brackets, braces or `\frac` arguments nest deeper than `VerifierLimits.maxNestingDepth`.
    case nestingDepth = "nesting_depth"
    /// An integer or rational would need more than `VerifierLimits.maxIntegerBits` bits.
    case integerSize = "integer_size"
    /// A power's exponent is too large to expand or evaluate (`VerifierLimits.maxExponent`), and the
    /// expressions could not be told apart symbolically.
    case exponentSize = "exponent_size"
    /// An expansion would hold more than `VerifierLimits.maxTerms` terms.
    case termCount = "term_count"
    /// A set, tuple, list or matrix has more than `VerifierLimits.maxElements` elements.
    case elementCount = "element_count"
    /// The request spent its `VerifierLimits.workBudget` steps.
    case workBudget = "work_budget"
}
