/// The parsed form of an answer: a small expression tree of our own. `MathParser` builds it,
/// `Canonicalizer` turns its scalar parts into `Polynomial`s, and `Equivalence` compares two of them.
indirect enum MathExpression: Sendable, Equatable {
    // Scalars.
    /// An exact number literal (`12`, `0.5`, `1.2e3`, `39765.00`).
    case number(Rational)
    /// A variable (`x`, `x_1`, `\alpha`).
    case symbol(String)
    case pi, euler, infinity, imaginaryUnit
    case sum([MathExpression])
    case negate(MathExpression)
    case product([MathExpression])
    case quotient(MathExpression, MathExpression)
    case power(MathExpression, MathExpression)
    /// `index`-th root (`\sqrt{x}` has index 2).
    case root(MathExpression, index: Int)
    case function(MathFunction, [MathExpression])
    /// `\int_{lower}^{upper} integrand \, d variable`; bounds nil for an indefinite integral.
    case integral(MathExpression, variable: String, lower: MathExpression?, upper: MathExpression?)
    /// `±x`: compared as the set of both signs.
    case plusMinus(MathExpression)
    /// `x\%`: compared both as `x` and as `x/100`.
    case percent(MathExpression)
    /// `x^\circ`: compared both as `x` and as `x·π/180`.
    case degrees(MathExpression)

    // Structures.
    /// `a = b`, `x < 3`, `-2 \le x < 5`: `sides.count == operators.count + 1`.
    case relation(sides: [MathExpression], operators: [RelationOperator])
    /// `(a, b, ...)`: ordered.
    case tuple([MathExpression])
    /// `a, b, ...` with no brackets (or joined by "and"/"or"): order-free.
    case list([MathExpression])
    /// `\{a, b\}`: order-free, duplicates ignored.
    case set([MathExpression])
    case interval(lower: MathExpression, upper: MathExpression, lowerClosed: Bool, upperClosed: Bool)
    /// `A \cup B \cup ...`: order-free.
    case union([MathExpression])
    /// `\begin{pmatrix} ... \end{pmatrix}`: rows of equal length.
    case matrix([[MathExpression]])
    /// A plain-text answer (`\text{odd}`, `Tuesday`), lower-cased with single spaces.
    case text(String)
    /// `a : b (: c ...)`: a ratio, equal to any proportional ratio; a two-term ratio is also its quotient.
    case ratio([MathExpression])
    /// The readings of an ambiguous answer (`3,5` is 3.5 or the list 3, 5; a numeral against a base-4 gold is
    /// read in base 4 and in base 10): equivalent when any reading is.
    case either([MathExpression])

    /// Whether this is a scalar (something `Canonicalizer` can put in canonical form).
    var isScalar: Bool {
        switch self {
        case .relation, .tuple, .list, .set, .interval, .union, .matrix, .text, .plusMinus, .ratio, .either:
            return false
        default: return true
        }
    }
}
