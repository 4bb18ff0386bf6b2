/// A value at an evaluation point: exact while only rationals are involved, a `Double` once π, a radical or a
/// function enters.
enum Scalar: Sendable, Equatable {
    case exact(Rational)
    case approx(Double)

    var double: Double {
        switch self {
        case .exact(let r): return r.doubleValue
        case .approx(let d): return d
        }
    }

    /// Exact equality for two exact values; otherwise relative tolerance 1e-9 (absolute 1e-12 near zero), the
    /// "tolerance otherwise" of the comparison.
    static func agree(_ a: Scalar, _ b: Scalar) -> Bool {
        if case .exact(let x) = a, case .exact(let y) = b { return x == y }
        let x = a.double, y = b.double
        let diff = abs(x - y)
        return diff <= 1e-9 * max(abs(x), abs(y)) || diff <= 1e-12
    }
}
