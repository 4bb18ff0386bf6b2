/// Why parsing, canonicalising or evaluating an answer stopped (internal; mapped to a `GradeReason`).
enum MathFailure: Error, Sendable, Equatable {
    /// A limit was hit.
    case limit(LimitKind)
    /// The text is not an expression the parser understands; `offset` is the byte where it gave up.
    case syntax(offset: Int)
    /// The value is undefined (division by zero, 0 to a negative power, a root of a negative number ...).
    case undefined
    /// Valid, but outside what this operation handles (e.g. a set where a number is needed).
    case unsupported
}
