import BigInt

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a scalar `MathExpression` into its canonical `Polynomial`: sums and products expanded, fractions
/// exact, radicals simplified (`√112 = 4√7`), integer powers expanded when small enough.
///
/// What cannot be expanded becomes an opaque atom keyed by its canonical parts, never an error: a power whose
/// result would pass `maxIntegerBits`/`maxExponent`/`maxTerms` (`9^{9^{9^9}}` is never evaluated), a symbolic
/// exponent, `1/(x+1)`, `\sin x`. A percent is its value over 100; degrees are their plain number (the
/// comparison tries the radian reading separately).
struct Canonicalizer {
    let algebra: PolynomialAlgebra
    var budget: WorkBudget { algebra.budget }

    init(budget: WorkBudget) {
        algebra = PolynomialAlgebra(budget: budget)
    }

    /// The canonical form, or nil when there is none (not a scalar, undefined); limits still throw.
    func canonicalOrNil(_ e: MathExpression) throws(MathFailure) -> Polynomial? {
        do {
            return try canonical(e)
        } catch .limit(let kind) {
            throw .limit(kind)
        } catch {
            return nil
        }
    }

    func canonical(_ e: MathExpression) throws(MathFailure) -> Polynomial {
        try budget.spend(3)
        switch e {
        case .number(let r): return Polynomial(constant: try algebra.checked(r))
        case .symbol(let name): return Polynomial(atom: .symbol(name))
        case .pi: return Polynomial(atom: .pi)
        case .euler: return Polynomial(atom: .euler)
        case .infinity: return Polynomial(atom: .infinity)
        case .imaginaryUnit: return Polynomial(atom: .imaginary)
        case .sum(let parts):
            var acc = Polynomial.zero
            for p in parts { acc = try algebra.add(acc, canonical(p)) }
            return acc
        case .negate(let x): return algebra.negate(try canonical(x))
        case .product(let factors):
            var acc = Polynomial.one
            for f in factors { acc = try algebra.multiply(acc, canonical(f)) }
            return acc
        case .quotient(let a, let b):
            let denominator = try canonical(b)
            let numerator = try canonical(a)
            return try algebra.multiply(numerator, algebra.inverse(denominator))
        case .power(let b, let x): return try power(canonical(b), canonical(x))
        case .root(let x, let k):
            return try power(canonical(x), Polynomial(constant: Rational(BigInt(1), BigInt(k))))
        case .function(let f, let args): return try function(f, args.map { (a) throws(MathFailure) in try canonical(a) })
        case .integral(let f, let v, let lo, let hi): return try integral(f, variable: v, lower: lo, upper: hi)
        case .percent(let x): return try algebra.scale(canonical(x), by: Rational(BigInt(1), BigInt(100)))
        case .degrees(let x): return try canonical(x)
        case .plusMinus, .relation, .tuple, .list, .set, .interval, .union, .matrix, .text, .ratio, .either:
            throw .unsupported
        }
    }

    // MARK: - Powers

    /// `base ^ exponent`, exact when the exponent is a constant and the result within limits, else an opaque
    /// power atom (integer bases reduced to their smallest root, so `4^{5000}` and `2^{10000}` agree).
    func power(_ base: Polynomial, _ exponent: Polynomial) throws(MathFailure) -> Polynomial {
        if let e = exponent.constantValue {
            if e.isZero { return .one }
            if e.isInteger, let n = e.intValue {
                do {
                    return try algebra.power(base, n)
                } catch .limit(let kind) where kind != .workBudget {
                    return try opaquePower(base, exponent)
                }
            }
            if let c = base.constantValue, let p = e.numerator.magnitude.bitWidth < 31 ? Int(e.numerator) : nil,
               let q = e.denominator.bitWidth < 8 ? Int(e.denominator) : nil
            {
                do {
                    return try algebra.rationalPower(c, numerator: p, denominator: q)
                } catch .limit(let kind) where kind != .workBudget {
                    return try opaquePower(base, exponent)
                } catch .unsupported {
                    return try opaquePower(base, exponent)
                }
            }
            // A fractional power of anything but a constant stays symbolic: √(x²) is |x|, not x.
        }
        if base.isZero {
            if let e = exponent.constantValue, e.isNegative { throw .undefined }
            return .zero
        }
        return try opaquePower(base, exponent)
    }

    func opaquePower(_ base: Polynomial, _ exponent: Polynomial) throws(MathFailure) -> Polynomial {
        var base = base, exponent = exponent
        if let c = base.constantValue, c.isInteger, c.numerator.sign == .plus, c.numerator.bitWidth < 63 {
            let (root, k) = try IntegerRoots.perfectPowerBase(UInt64(c.numerator), budget: budget)
            if k > 1 {
                base = Polynomial(constant: Rational(integer: BigInt(root)))
                exponent = try algebra.scale(exponent, by: Rational(k))
            }
        }
        let atom = Atom.power(base: base, exponent: exponent)
        try budget.spendKey(atom.key)
        return Polynomial(atom: atom)
    }

    // MARK: - Functions

    func function(_ f: MathFunction, _ args: [Polynomial]) throws(MathFailure) -> Polynomial {
        let constants = args.map(\.constantValue)
        if constants.allSatisfy({ $0 != nil }) {
            let values = constants.map { $0! }
            if let exact = try exactValue(f, values) { return Polynomial(constant: exact) }
        }
        switch f {
        case .sin, .tan, .arcsin, .arctan, .sinh, .tanh:
            if args.count == 1 && args[0].isZero { return .zero }
        case .cos, .cosh:
            if args.count == 1 && args[0].isZero { return .one }
        case .ln:
            if args.count == 1, args[0].constantValue == .one { return .zero }
            if args.count == 1, args[0] == Polynomial(atom: .euler) { return .one }
        default: break
        }
        let atom = Atom.function(f, args)
        try budget.spendKey(atom.key)
        return Polynomial(atom: atom)
    }

    /// Exact values of functions at rational arguments, where they are rational.
    func exactValue(_ f: MathFunction, _ x: [Rational]) throws(MathFailure) -> Rational? {
        switch f {
        case .abs: return x.count == 1 ? x[0].magnitude : nil
        case .floor, .ceil:
            guard x.count == 1 else { return nil }
            let (q, r) = x[0].numerator.quotientAndRemainder(dividingBy: x[0].denominator)
            var v = q
            if !r.isZero {
                if f == .floor && x[0].isNegative { v -= 1 }
                if f == .ceil && !x[0].isNegative { v += 1 }
            }
            return Rational(integer: v)
        case .min: return x.min()
        case .max: return x.max()
        case .factorial:
            guard x.count == 1, let n = x[0].intValue, n >= 0 else { return nil }
            guard n <= 2000, Double(n) * log2(Double(max(n, 2))) <= Double(algebra.limits.maxIntegerBits) else { return nil }
            var acc = BigInt(1)
            if n >= 2 {
                for k in 2...n {
                    try budget.spend(1 + acc.magnitude.bitWidth >> 6)
                    acc *= BigInt(k)
                }
            }
            return Rational(integer: acc)
        case .binomial:
            guard x.count == 2, let n = x[0].intValue, let k = x[1].intValue, n >= 0, k >= 0 else { return nil }
            if k > n { return .zero }
            let kk = min(k, n - k)
            guard Double(kk) * log2(Double(max(n, 2))) <= Double(algebra.limits.maxIntegerBits) else { return nil }
            var acc = BigInt(1)
            if kk > 0 {
                for i in 0..<kk {
                    try budget.spend(1 + acc.magnitude.bitWidth >> 5)
                    acc = acc * BigInt(n - i) / BigInt(i + 1)
                }
            }
            return Rational(integer: acc)
        case .gcd, .lcm:
            guard x.count >= 2, x.allSatisfy(\.isInteger) else { return nil }
            var acc = x[0].numerator.magnitude
            for v in x.dropFirst() {
                let m = v.numerator.magnitude
                if f == .gcd {
                    acc = Rational.gcd(BigInt(acc), BigInt(m)).magnitude
                } else {
                    let g = Rational.gcd(BigInt(acc), BigInt(m)).magnitude
                    acc = g.isZero ? 0 : acc / g * m
                    try budget.checkBits(acc.bitWidth)
                }
            }
            return Rational(integer: BigInt(acc))
        case .log:
            // log_b(x) is rational when x = b^n for an integer n (log_2 8 = 3).
            guard x.count == 2, x[0].isInteger, x[1].isInteger, x[0].numerator > 1, x[1].numerator >= 1 else { return nil }
            let b = x[0].numerator, v = x[1].numerator
            var acc = BigInt(1), n = 0
            while acc < v && n < 4096 {
                try budget.spend(1 + acc.magnitude.bitWidth >> 6)
                acc *= b
                n += 1
            }
            return acc == v ? Rational(n) : nil
        default: return nil
        }
    }

    // MARK: - Integrals

    /// A definite integral: exact when the integrand is a polynomial in the variable (the variable not inside
    /// any other atom) and the bounds are finite; otherwise an opaque atom evaluated numerically later.
    func integral(_ f: MathExpression, variable v: String, lower: MathExpression?, upper: MathExpression?)
        throws(MathFailure) -> Polynomial
    {
        let integrand = try canonical(f)
        // An indefinite integral has no single value (its constant is free): not compared.
        guard let lower, let upper else { throw .unsupported }
        let lo = try canonical(lower), hi = try canonical(upper)
        let x = Atom.symbol(v)
        var antiderivative = Polynomial.zero
        var exact = true
        for t in integrand.terms {
            var degree = 0
            var rest: [Factor] = []
            for factor in t.monomial.factors {
                if factor.atom == x {
                    degree = factor.exponent
                } else {
                    if factor.atom.mentions(symbol: v) { exact = false }
                    rest.append(factor)
                }
            }
            if degree < 0 { exact = false }
            if !exact { break }
            var factors = rest
            factors.append(Factor(atom: x, exponent: degree + 1))
            factors.sort { $0.atom < $1.atom }
            let term = Polynomial(terms: [.init(monomial: Monomial(factors: factors), coefficient: t.coefficient)])
            antiderivative = try algebra.add(antiderivative, algebra.scale(term, by: Rational(BigInt(1), BigInt(degree + 1))))
        }
        if exact && !hasInfinity(lo) && !hasInfinity(hi) {
            return try algebra.subtract(substitute(v, hi, in: antiderivative), substitute(v, lo, in: antiderivative))
        }
        let atom = Atom.integral(integrand, variable: v, lower: lo, upper: hi)
        try budget.spendKey(atom.key)
        return Polynomial(atom: atom)
    }

    func hasInfinity(_ p: Polynomial) -> Bool {
        p.atoms.contains { if case .infinity = $0.kind { return true } else { return false } }
    }

    /// `p` with variable `v` (occurring only as a plain factor) replaced by `value`.
    func substitute(_ v: String, _ value: Polynomial, in p: Polynomial) throws(MathFailure) -> Polynomial {
        let x = Atom.symbol(v)
        var acc = Polynomial.zero
        for t in p.terms {
            var degree = 0
            var rest: [Factor] = []
            for f in t.monomial.factors {
                if f.atom == x { degree = f.exponent } else { rest.append(f) }
            }
            let restPoly = Polynomial(terms: [.init(monomial: Monomial(factors: rest), coefficient: t.coefficient)])
            acc = try algebra.add(acc, algebra.multiply(restPoly, algebra.power(value, degree)))
        }
        return acc
    }
}
