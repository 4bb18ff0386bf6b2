/// A gold answer read once and reused for every completion of its group (`Grader.prepareGold(_:)`).
///
/// Immutable and `Sendable`: one prepared gold can be graded against from many threads at once.
public struct PreparedGold: Sendable {
    /// The gold answer as given.
    public let text: String
    /// Why the gold cannot be graded against (`.unparseableGold`), or nil when it is usable. An unusable gold
    /// earns every completion `.unparseableGold` and the wrong-answer reward.
    public let failure: GradeReason?
    /// The limit that made the gold unusable, if one did.
    public let failureLimit: LimitKind?

    let normalized: [UInt8]
    let key: [UInt8]
    let choice: UInt8?
    let expression: MathExpression?
    /// The base of a gold numeral such as `312_4`: a plain numeral prediction is also read in it.
    let numeralBase: Int?

    init(text: String, failure: GradeReason?, failureLimit: LimitKind?, normalized: [UInt8], key: [UInt8],
         choice: UInt8?, expression: MathExpression?, numeralBase: Int?)
    {
        self.text = text
        self.failure = failure
        self.failureLimit = failureLimit
        self.normalized = normalized
        self.key = key
        self.choice = choice
        self.expression = expression
        self.numeralBase = numeralBase
    }

    /// Whether completions can be graded against this gold.
    public var isUsable: Bool { failure == nil }

    /// Whether the gold is a multiple-choice letter (predictions are then read as letters).
    public var isChoice: Bool { choice != nil }
}
