/// Hard bounds that keep any input, however hostile, from hurting a verifier process.
///
/// Every bound is counted (bytes, depth, bits, terms, steps), never timed, so a verdict is the same on any
/// machine and under any load. When a bound is hit the grade says `limit_exceeded` and which `LimitKind`.
public struct VerifierLimits: Sendable, Equatable, Codable {
    /// Longest completion accepted, in UTF-8 bytes; a longer one is refused (`completion_length`), not truncated,
    /// because cutting it could change which answer is last.
    public var maxCompletionBytes: Int = 1 << 20
    /// Longest extracted answer or gold answer, in UTF-8 bytes.
    public var maxAnswerBytes: Int = 1 << 16
    /// Deepest nesting the parser follows: one level per bracket, group, set or sign, two for a LaTeX command's
    /// braced argument (`\sqrt{...}`), and the same bound on chained `^`, `!` and `\%`. Redundant braces around
    /// a whole answer (`{{{3}}}`) are peeled before parsing and do not count.
    public var maxNestingDepth: Int = 48
    /// Largest integer (numerator or denominator) built exactly, in bits; 4096 bits is about 1233 digits.
    public var maxIntegerBits: Int = 4096
    /// Largest integer exponent expanded or applied exactly; beyond it a power stays symbolic.
    public var maxExponent: Int = 4096
    /// Most terms an expanded polynomial may hold.
    public var maxTerms: Int = 1024
    /// Most elements in one set, tuple, list or matrix.
    public var maxElements: Int = 256
    /// Work steps one completion may spend (extraction, parsing, arithmetic, evaluation). One step is roughly
    /// the cost of one small arithmetic operation or a few bytes scanned; see `Sources/Verifier/README.md`.
    public var workBudget: Int = 400_000

    /// The defaults above.
    public init() {}

    /// Decodes a partial configuration: every missing field keeps its default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = VerifierLimits()
        func value(_ key: CodingKeys, _ fallback: Int) throws -> Int {
            try c.decodeIfPresent(Int.self, forKey: key) ?? fallback
        }
        maxCompletionBytes = try value(.maxCompletionBytes, d.maxCompletionBytes)
        maxAnswerBytes = try value(.maxAnswerBytes, d.maxAnswerBytes)
        maxNestingDepth = try value(.maxNestingDepth, d.maxNestingDepth)
        maxIntegerBits = try value(.maxIntegerBits, d.maxIntegerBits)
        maxExponent = try value(.maxExponent, d.maxExponent)
        maxTerms = try value(.maxTerms, d.maxTerms)
        maxElements = try value(.maxElements, d.maxElements)
        workBudget = try value(.workBudget, d.workBudget)
    }
}
