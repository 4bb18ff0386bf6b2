import BigInt

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates canonical polynomials at one point (a value for every variable), exactly where it can.
///
/// Throws `.undefined` where the expression has no real value there (division by zero, a logarithm of a
/// negative number), `.unsupported` for ∞ and i, and `.limit(.exponentSize)` when a value overflows `Double`
/// (a tower such as `9^{9^{9^9}}`).
final class NumericEvaluator {
    let budget: WorkBudget
    private(set) var point: [String: Scalar]
    private var cache: [Atom: Scalar] = [:]

    init(point: [String: Scalar], budget: WorkBudget) {
        self.point = point
        self.budget = budget
    }

    func evaluate(_ p: Polynomial) throws(MathFailure) -> Scalar {
        var acc = Scalar.exact(.zero)
        for t in p.terms {
            var term = Scalar.exact(t.coefficient)
            for f in t.monomial.factors {
                term = try multiply(term, power(atom(f.atom), f.exponent))
            }
            acc = try add(acc, term)
        }
        return acc
    }

    func atom(_ a: Atom) throws(MathFailure) -> Scalar {
        if let cached = cache[a] { return cached }
        try budget.spend(10)
        let value: Scalar
        switch a.kind {
        case .symbol(let name):
            guard let v = point[name] else { throw .unsupported }
            value = v
        case .pi: value = .approx(.pi)
        case .euler: value = .approx(M_E)
        case .infinity, .imaginary: throw .unsupported
        case .radical(let k, let r): value = .approx(pow(Double(r), 1 / Double(k)))
        case .power(let b, let e):
            let base = try evaluate(b), exponent = try evaluate(e)
            if case .exact(let x) = exponent, x.isInteger, let n = x.intValue {
                value = try power(base, n)
            } else {
                let b = base.double
                value = try finite(pow(b, exponent.double), inputsNonzero: b != 0)
            }
        case .inverse(let p):
            let v = try evaluate(p)
            value = try power(v, -1)
        case .function(let f, let args):
            let values = try args.map { (x) throws(MathFailure) in try evaluate(x) }
            let exact = values.compactMap { if case .exact(let r) = $0 { return r } else { return nil } }
            if exact.count == values.count, let r = try Canonicalizer(budget: budget).exactValue(f, exact) {
                value = .exact(r)
            } else {
                value = try finite(f.evaluate(values.map(\.double)))
            }
        case .integral(let f, let v, let lo, let hi):
            value = try integrate(f, variable: v, from: evaluate(lo).double, to: evaluate(hi).double)
        }
        cache[a] = value
        return value
    }

    /// Composite 8-point Gauss–Legendre over 8 panels (64 evaluations): exact to rounding for the smooth
    /// integrands answers carry.
    func integrate(_ f: Polynomial, variable v: String, from a: Double, to b: Double) throws(MathFailure) -> Scalar {
        guard a.isFinite, b.isFinite else { throw .unsupported }
        let panels = 8
        let h = (b - a) / Double(panels)
        let saved = point[v]
        defer {
            point[v] = saved
            cache.removeAll(keepingCapacity: true)
        }
        var sum = 0.0
        for panel in 0..<panels {
            let mid = a + (Double(panel) + 0.5) * h
            for (node, weight) in Self.gaussLegendre8 {
                for x in [mid - node * h / 2, mid + node * h / 2] {
                    point[v] = .approx(x)
                    cache.removeAll(keepingCapacity: true)
                    sum += weight * (try evaluate(f).double)
                }
            }
        }
        return try finite(sum * h / 2)
    }

    /// Positive nodes and weights of the 8-point Gauss–Legendre rule on [−1, 1].
    static let gaussLegendre8: [(Double, Double)] = [
        (0.183_434_642_495_649_8, 0.362_683_783_378_362_0), (0.525_532_409_916_329_0, 0.313_706_645_877_887_3),
        (0.796_666_477_413_626_7, 0.222_381_034_453_374_5), (0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
    ]

    // MARK: - Scalar arithmetic

    /// Values at a point stay exact up to this many bits, then continue in `Double`: exactness matters for
    /// telling close values apart, not for values beyond 10^300, and exact sums of many fractions would
    /// otherwise grow their denominators without bound.
    static let exactBits = 256

    func add(_ a: Scalar, _ b: Scalar) throws(MathFailure) -> Scalar {
        if case .exact(let x) = a, case .exact(let y) = b, max(x.bitWidth, y.bitWidth) < Self.exactBits {
            try budget.spendArithmetic(bits: max(x.bitWidth, y.bitWidth), fraction: !(x.isInteger && y.isInteger))
            return .exact(x + y)
        }
        try budget.spend(2)
        return try finite(a.double + b.double)
    }

    func multiply(_ a: Scalar, _ b: Scalar) throws(MathFailure) -> Scalar {
        if case .exact(let x) = a, case .exact(let y) = b, x.bitWidth + y.bitWidth < Self.exactBits {
            try budget.spendArithmetic(bits: x.bitWidth + y.bitWidth, fraction: !(x.isInteger && y.isInteger))
            return .exact(x * y)
        }
        try budget.spend(2)
        let x = a.double, y = b.double
        return try finite(x * y, inputsNonzero: x != 0 && y != 0)
    }

    func power(_ a: Scalar, _ n: Int) throws(MathFailure) -> Scalar {
        if n == 1 { return a }
        if case .exact(let x) = a {
            if x.isZero && n < 0 { throw .undefined }
            if x.bitsOfPower(n) < Self.exactBits && abs(n) <= budget.limits.maxExponent {
                try budget.spendArithmetic(bits: x.bitsOfPower(n))
                return .exact(x.power(n))
            }
        }
        let d = a.double
        if d == 0 && n < 0 { throw .undefined }
        return try finite(pow(d, Double(n)), inputsNonzero: d != 0)
    }

    /// `d` as a value; NaN is undefined, and overflow — or underflow of a product of nonzero numbers, which
    /// would make `0.5^{99999}` and `0.5^{99998}` look equal — means the point is out of `Double`'s range.
    func finite(_ d: Double, inputsNonzero: Bool = false) throws(MathFailure) -> Scalar {
        if d.isNaN { throw .undefined }
        if d.isInfinite || (inputsNonzero && (d == 0 || d.isSubnormal)) { throw .limit(.exponentSize) }
        return .approx(d)
    }
}
