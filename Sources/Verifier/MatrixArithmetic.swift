/// Matrix answers written as arithmetic (`\begin{pmatrix}1&2\\3&4\end{pmatrix} + \begin{pmatrix}...\end{pmatrix}`,
/// `2\begin{pmatrix}...\end{pmatrix}`, a product of two matrices, a small power of a square one): the value, as a
/// matrix of canonical forms, so that it compares with the matrix the other side writes out.
///
/// Every entry is kept in canonical form as it is computed (never as a growing expression tree), through the
/// same `PolynomialAlgebra` as scalars, so the work stays under the request's `WorkBudget`.
struct MatrixArithmetic {
    /// A scalar or a matrix (rows of equal length).
    enum Value {
        case scalar(Polynomial)
        case matrix([[Polynomial]])
    }

    let canonicalizer: Canonicalizer
    var algebra: PolynomialAlgebra { canonicalizer.algebra }

    /// The largest integer power of a matrix that is multiplied out.
    static let maxPower = 16
    /// Extra steps per multiply-add of two entries.
    static let stepsPerEntryProduct = 16

    /// Whether `e` is arithmetic (a sum, product, quotient, negation or power) with a matrix among its operands.
    static func isMatrixArithmetic(_ e: MathExpression) -> Bool {
        switch e {
        case .sum(let xs), .product(let xs): return xs.contains { containsMatrix($0) }
        case .negate(let x), .power(let x, _), .quotient(let x, _): return containsMatrix(x)
        default: return false
        }
    }

    private static func containsMatrix(_ e: MathExpression) -> Bool {
        if case .matrix = e { return true }
        return isMatrixArithmetic(e)
    }

    /// The matrix `e` evaluates to; nil when it is not a matrix, or not defined (shapes that do not match, a
    /// matrix plus a scalar, an entry that is not a scalar).
    func matrix(_ e: MathExpression) throws(MathFailure) -> [[Polynomial]]? {
        guard case .matrix(let rows)? = try value(e) else { return nil }
        return rows
    }

    func value(_ e: MathExpression) throws(MathFailure) -> Value? {
        try canonicalizer.budget.spend(4)
        switch e {
        case .matrix(let rows):
            var out: [[Polynomial]] = []
            for row in rows {
                var r: [Polynomial] = []
                for x in row {
                    guard x.isScalar, let p = try canonicalizer.canonicalOrNil(x) else { return nil }
                    r.append(p)
                }
                out.append(r)
            }
            return .matrix(out)
        case .sum(let parts):
            guard var acc = try value(parts[0]) else { return nil }
            for part in parts.dropFirst() {
                guard let v = try value(part), let sum = try add(acc, v) else { return nil }
                acc = sum
            }
            return acc
        case .negate(let x):
            guard let v = try value(x) else { return nil }
            return try multiply(.scalar(Polynomial(constant: Rational(-1))), v)
        case .product(let factors):
            guard var acc = try value(factors[0]) else { return nil }
            for f in factors.dropFirst() {
                guard let v = try value(f), let product = try multiply(acc, v) else { return nil }
                acc = product
            }
            return acc
        case .quotient(let a, let b):
            guard let v = try value(a), case .scalar(let d)? = try value(b), !d.isZero else { return nil }
            return try multiply(.scalar(algebra.inverse(d)), v)
        case .power(let base, let exponent) where Self.containsMatrix(base):
            guard case .matrix(let m)? = try value(base), m.count == m.first?.count,
                  case .number(let k) = exponent, let n = k.intValue, (1...Self.maxPower).contains(n)
            else { return nil }
            var acc = Value.matrix(m)
            for _ in 1..<n {
                guard let next = try multiply(acc, .matrix(m)) else { return nil }
                acc = next
            }
            return acc
        default:
            guard e.isScalar, let p = try canonicalizer.canonicalOrNil(e) else { return nil }
            return .scalar(p)
        }
    }


    private func add(_ a: Value, _ b: Value) throws(MathFailure) -> Value? {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return .scalar(try algebra.add(x, y))
        case (.matrix(let x), .matrix(let y)):
            guard x.count == y.count, x.first?.count == y.first?.count else { return nil }
            var out = x
            for i in x.indices {
                for j in x[i].indices { out[i][j] = try algebra.add(x[i][j], y[i][j]) }
            }
            return .matrix(out)
        default: return nil
        }
    }

    private func multiply(_ a: Value, _ b: Value) throws(MathFailure) -> Value? {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return .scalar(try algebra.multiply(x, y))
        case (.scalar(let c), .matrix(let m)), (.matrix(let m), .scalar(let c)):
            var out = m
            for i in m.indices {
                for j in m[i].indices { out[i][j] = try algebra.multiply(c, m[i][j]) }
            }
            return .matrix(out)
        case (.matrix(let x), .matrix(let y)):
            guard let inner = x.first?.count, inner == y.count, let width = y.first?.count else { return nil }
            var out: [[Polynomial]] = []
            for row in x {
                var r: [Polynomial] = []
                for j in 0..<width {
                    var entry = Polynomial.zero
                    for k in 0..<inner {
                        // The polynomial operations charge their arithmetic; this charges the bookkeeping
                        // around them (a new polynomial per step), measured to be as costly.
                        try canonicalizer.budget.spend(Self.stepsPerEntryProduct)
                        entry = try algebra.add(entry, algebra.multiply(row[k], y[k][j]))
                    }
                    r.append(entry)
                }
                out.append(r)
            }
            return .matrix(out)
        }
    }
}
