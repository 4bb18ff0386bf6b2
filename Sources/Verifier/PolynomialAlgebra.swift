import BigInt

/// Arithmetic on canonical `Polynomial`s under one request's `WorkBudget`: every operation spends steps and
/// checks integer sizes and term counts, throwing `MathFailure.limit` instead of growing without bound.
///
/// Products are normalised as they are formed: `i² = −1`, and radicals of one index merge and simplify
/// (`√2·√6 = 2√3`), so equal values of the supported kinds get equal forms.
struct PolynomialAlgebra {
    let budget: WorkBudget
    var limits: VerifierLimits { budget.limits }

    // MARK: - Sums

    func add(_ a: Polynomial, _ b: Polynomial) throws(MathFailure) -> Polynomial {
        if a.isZero { return b }
        if b.isZero { return a }
        try budget.spend(3 * (a.terms.count + b.terms.count))
        var out: [Polynomial.Term] = []
        out.reserveCapacity(a.terms.count + b.terms.count)
        var i = 0, j = 0
        while i < a.terms.count && j < b.terms.count {
            let ta = a.terms[i], tb = b.terms[j]
            switch Self.compare(ta.monomial, tb.monomial) {
            case -1:
                out.append(ta)
                i += 1
            case 1:
                out.append(tb)
                j += 1
            default:
                let c = try checked(ta.coefficient + tb.coefficient)
                if !c.isZero { out.append(.init(monomial: ta.monomial, coefficient: c)) }
                i += 1
                j += 1
            }
        }
        out.append(contentsOf: a.terms[i...])
        out.append(contentsOf: b.terms[j...])
        if out.count > limits.maxTerms { throw .limit(.termCount) }
        return Polynomial(terms: out)
    }

    func negate(_ a: Polynomial) -> Polynomial {
        Polynomial(terms: a.terms.map { .init(monomial: $0.monomial, coefficient: $0.coefficient.negated) })
    }

    func subtract(_ a: Polynomial, _ b: Polynomial) throws(MathFailure) -> Polynomial {
        try add(a, negate(b))
    }

    func scale(_ a: Polynomial, by r: Rational) throws(MathFailure) -> Polynomial {
        if r.isZero { return .zero }
        if r.isOne { return a }
        try budget.spend(3 * a.terms.count)
        var out: [Polynomial.Term] = []
        out.reserveCapacity(a.terms.count)
        for t in a.terms { out.append(.init(monomial: t.monomial, coefficient: try checked(t.coefficient * r))) }
        return Polynomial(terms: out)
    }

    // MARK: - Products

    func multiply(_ a: Polynomial, _ b: Polynomial) throws(MathFailure) -> Polynomial {
        if a.isZero || b.isZero { return .zero }
        if let c = a.constantValue { return try scale(b, by: c) }
        if let c = b.constantValue { return try scale(a, by: c) }
        let pairs = a.terms.count * b.terms.count
        try budget.spend(pairs * Self.stepsPerTermProduct)
        if pairs == 1 {
            let (m, c) = try multiply(a.terms[0].monomial, b.terms[0].monomial)
            let coefficient = try checked(a.terms[0].coefficient * b.terms[0].coefficient * c)
            return Polynomial(terms: coefficient.isZero ? [] : [.init(monomial: m, coefficient: coefficient)])
        }
        var sums: [Monomial: Rational] = [:]
        sums.reserveCapacity(pairs)
        for ta in a.terms {
            for tb in b.terms {
                let (m, c) = try multiply(ta.monomial, tb.monomial)
                let product = try checked(ta.coefficient * tb.coefficient * c)
                if let old = sums[m] { sums[m] = try checked(old + product) } else { sums[m] = product }
            }
        }
        return try polynomial(from: sums)
    }

    /// Sorted, zero-free polynomial from accumulated terms.
    func polynomial(from sums: [Monomial: Rational]) throws(MathFailure) -> Polynomial {
        var terms: [Polynomial.Term] = []
        terms.reserveCapacity(sums.count)
        for (m, c) in sums where !c.isZero { terms.append(.init(monomial: m, coefficient: c)) }
        if terms.count > limits.maxTerms { throw .limit(.termCount) }
        try budget.spend(terms.count * 4)
        terms.sort { $0.monomial < $1.monomial }
        return Polynomial(terms: terms)
    }

    /// The product of two monomials, normalised, and the rational factor normalisation pulled out.
    func multiply(_ a: Monomial, _ b: Monomial) throws(MathFailure) -> (Monomial, Rational) {
        if a.isOne { return (b, .one) }
        if b.isOne { return (a, .one) }
        var merged: [Factor] = []
        merged.reserveCapacity(a.factors.count + b.factors.count)
        var i = 0, j = 0
        while i < a.factors.count && j < b.factors.count {
            let fa = a.factors[i], fb = b.factors[j]
            if fa.atom == fb.atom {
                let (e, overflow) = fa.exponent.addingReportingOverflow(fb.exponent)
                if overflow { throw .limit(.exponentSize) }
                if e != 0 { merged.append(Factor(atom: fa.atom, exponent: e)) }
                i += 1
                j += 1
            } else if fa.atom < fb.atom {
                merged.append(fa)
                i += 1
            } else {
                merged.append(fb)
                j += 1
            }
        }
        merged.append(contentsOf: a.factors[i...])
        merged.append(contentsOf: b.factors[j...])
        return try normalize(merged)
    }

    /// Applies `i² = −1`, merges radicals of one index and pulls perfect powers out of them; checks exponents.
    func normalize(_ factors: [Factor]) throws(MathFailure) -> (Monomial, Rational) {
        var needsWork = false, radicals = 0
        for f in factors {
            if abs(f.exponent) > limits.maxExponent { throw .limit(.exponentSize) }
            switch f.atom.kind {
            case .imaginary: if f.exponent != 1 { needsWork = true }
            case .radical:
                radicals += 1
                if f.exponent != 1 { needsWork = true }
            default: break
            }
        }
        if radicals > 1 { needsWork = true }
        if !needsWork { return (Monomial(factors: factors), .one) }

        var coefficient = Rational.one
        var kept: [Factor] = []
        var radicalFactors: [(index: Int, radicand: BigUInt, exponent: Int)] = []
        for f in factors {
            switch f.atom.kind {
            case .imaginary:
                switch ((f.exponent % 4) + 4) % 4 {
                case 1: kept.append(Factor(atom: f.atom, exponent: 1))
                case 2: coefficient = coefficient.negated
                case 3:
                    coefficient = coefficient.negated
                    kept.append(Factor(atom: f.atom, exponent: 1))
                default: break
                }
            case .radical(let k, let r):
                radicalFactors.append((k, r, f.exponent))
            default:
                kept.append(f)
            }
        }
        radicalFactors.sort { $0.index < $1.index }
        var start = 0
        while start < radicalFactors.count {
            let k = radicalFactors[start].index
            var stop = start
            while stop < radicalFactors.count && radicalFactors[stop].index == k { stop += 1 }
            defer { start = stop }
            try budget.spend(24)
            var product = BigUInt(1)
            for (_, r, e0) in radicalFactors[start..<stop] {
                var e = e0
                if e < 0 {
                    // root_k(r)^e = root_k(r)^(e + k·m) / r^m with e + k·m ≥ 0.
                    let m = (-e + k - 1) / k
                    try budget.checkBits(r.bitWidth * m)
                    coefficient = try checked(coefficient / Rational(integer: BigInt(r.power(m))))
                    e += k * m
                }
                // Whole k-th powers leave the radical at once; only e mod k copies of r stay inside.
                if e >= k {
                    try budget.checkBits(r.bitWidth * (e / k))
                    coefficient = try checked(coefficient * Rational(integer: BigInt(r.power(e / k))))
                    e %= k
                }
                if e > 0 {
                    try budget.checkBits(product.bitWidth + r.bitWidth * e)
                    product *= r.power(e)
                }
            }
            if product > 1 {
                let (outside, inside) = try IntegerRoots.splitPower(product, index: k, budget: budget)
                if outside > 1 { coefficient = try checked(coefficient * Rational(integer: BigInt(outside))) }
                if inside > 1 { kept.append(Factor(atom: .radical(index: k, radicand: inside), exponent: 1)) }
            }
        }
        kept.sort { $0.atom < $1.atom }
        return (Monomial(factors: kept), coefficient)
    }

    // MARK: - Inverses and powers

    /// `1 / p`: exact for a single term (radicals rationalised), an `inverse` atom otherwise.
    func inverse(_ p: Polynomial) throws(MathFailure) -> Polynomial {
        if p.isZero { throw .undefined }
        if p.terms.count == 1 {
            let t = p.terms[0]
            var factors: [Factor] = []
            for f in t.monomial.factors {
                if case .infinity = f.atom.kind { throw .unsupported }
                factors.append(Factor(atom: f.atom, exponent: -f.exponent))
            }
            let (m, c) = try normalize(factors)
            return Polynomial(terms: [.init(monomial: m, coefficient: try checked(c / t.coefficient))])
        }
        let lead = p.terms[0].coefficient
        let monic = try scale(p, by: lead.reciprocal)
        let atom = Atom.inverse(monic)
        try budget.spendKey(atom.key)
        return try scale(Polynomial(atom: atom), by: lead.reciprocal)
    }

    /// `p^n` for an integer `n`, expanded; throws `.limit(.exponentSize)`, `.limit(.termCount)` or
    /// `.limit(.integerSize)` when the result would be too large (the caller keeps such a power symbolic).
    func power(_ p: Polynomial, _ n: Int) throws(MathFailure) -> Polynomial {
        if n == 0 { return .one }
        if n == 1 { return p }
        if p.isZero {
            if n < 0 { throw .undefined }
            return .zero
        }
        if abs(n) > limits.maxExponent { throw .limit(.exponentSize) }
        if n < 0 {
            if p.terms.count == 1 { return try power(inverse(p), -n) }
            return try inverse(power(p, -n))
        }
        if p.terms.count == 1 {
            let t = p.terms[0]
            if t.coefficient.bitsOfPower(n) > limits.maxIntegerBits { throw .limit(.integerSize) }
            try budget.spendArithmetic(bits: t.coefficient.bitsOfPower(n))
            var factors: [Factor] = []
            for f in t.monomial.factors {
                let (e, overflow) = f.exponent.multipliedReportingOverflow(by: n)
                if overflow || abs(e) > limits.maxExponent { throw .limit(.exponentSize) }
                factors.append(Factor(atom: f.atom, exponent: e))
            }
            let (m, c) = try normalize(factors)
            return Polynomial(terms: [.init(monomial: m, coefficient: try checked(t.coefficient.power(n) * c))])
        }
        // Multinomial bound on the number of terms: C(n + t − 1, t − 1).
        let t = p.terms.count
        var estimate = 1.0
        for i in 1..<t { estimate = estimate * Double(n + i) / Double(i) }
        if estimate > Double(limits.maxTerms) { throw .limit(.termCount) }
        var result = Polynomial.one, base = p, e = n
        while true {
            if e & 1 == 1 { result = try multiply(result, base) }
            e >>= 1
            if e == 0 { break }
            base = try multiply(base, base)
        }
        return result
    }

    /// `value^(p/q)` for a rational constant, `q ≥ 2`: exact with a reduced radical (and `i` for a square root
    /// of a negative number); throws `.unsupported` for an even root of a negative number other than √.
    func rationalPower(_ value: Rational, numerator p: Int, denominator q: Int) throws(MathFailure) -> Polynomial {
        precondition(q >= 2)
        if value.isZero {
            if p <= 0 { throw .undefined }
            return .zero
        }
        if q > 64 || abs(p) > limits.maxExponent { throw .limit(.exponentSize) }
        var sign = Polynomial.one
        if value.isNegative {
            if q % 2 == 1 {
                if p % 2 != 0 { sign = Polynomial(constant: Rational(-1)) }
            } else if q == 2 {
                sign = try power(Polynomial(atom: .imaginary), p)
            } else {
                throw .unsupported
            }
        }
        let base = value.magnitude
        if base.bitsOfPower(abs(p) * q) > limits.maxIntegerBits { throw .limit(.integerSize) }
        let raised = base.power(p)  // n/d
        let n = raised.numerator.magnitude, d = raised.denominator.magnitude
        // root_q(n/d) = root_q(n·d^(q−1)) / d
        let radicand = n * d.power(q - 1)
        try budget.spendArithmetic(bits: radicand.bitWidth)
        let (outside, inside) = try IntegerRoots.splitPower(radicand, index: q, budget: budget)
        let coefficient = Rational(BigInt(outside), BigInt(d))
        var result = Polynomial(constant: coefficient)
        if inside > 1 { result = try multiply(result, Polynomial(atom: .radical(index: q, radicand: inside))) }
        return try multiply(result, sign)
    }

    // MARK: - Helpers

    /// Steps charged per pair of terms multiplied (merging factors, normalising, hashing the monomial).
    static let stepsPerTermProduct = 20

    /// `r` after checking it fits `maxIntegerBits`.
    @inline(__always)
    func checked(_ r: Rational) throws(MathFailure) -> Rational {
        let bits = r.bitWidth
        if bits > limits.maxIntegerBits { throw .limit(.integerSize) }
        if bits > 64 { try budget.spendArithmetic(bits: bits, fraction: !r.isInteger) }
        return r
    }

    /// −1, 0 or 1 as `a` sorts before, equal to, or after `b`.
    static func compare(_ a: Monomial, _ b: Monomial) -> Int {
        let n = min(a.factors.count, b.factors.count)
        for i in 0..<n {
            let fa = a.factors[i], fb = b.factors[i]
            if fa.atom != fb.atom { return fa.atom < fb.atom ? -1 : 1 }
            if fa.exponent != fb.exponent { return fa.exponent < fb.exponent ? -1 : 1 }
        }
        return a.factors.count == b.factors.count ? 0 : (a.factors.count < b.factors.count ? -1 : 1)
    }
}
