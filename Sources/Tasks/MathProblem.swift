/// One math problem: what the model is asked, the reference answer it is graded against, and (for supervised
/// warm-starts) a worked solution.
public struct MathProblem: Sendable, Equatable, Hashable, Codable {
    /// Stable identifier, e.g. `synthetic/L3/train/000123` or `gsm8k.jsonl:17`.
    public var id: String
    public var question: String
    /// The reference answer in its simplest form (`"4"`, `"\\frac{1}{2}"`): what the verifier compares with.
    public var goldAnswer: String
    /// A worked solution ending in `\boxed{answer}`, when known (SFT targets).
    public var solution: String?
    /// Curriculum level (1 = easiest), when known.
    public var level: Int?

    public init(id: String, question: String, goldAnswer: String, solution: String? = nil, level: Int? = nil) {
        self.id = id
        self.question = question
        self.goldAnswer = goldAnswer
        self.solution = solution
        self.level = level
    }
}

/// A deterministic, random-access sequence of problems: index i always yields the same problem, so a dataset
/// cursor (an integer) is all a checkpoint or a prompt lease needs to name a prompt.
public protocol ProblemSource: Sendable {
    /// Number of distinct problems (`nil` for an unbounded generator).
    var count: Int? { get }
    func problem(at index: Int) -> MathProblem
}
