import Seeding
/// Decides whether a predicted answer is equivalent to the gold one, structure first, then value:
///
/// - `±` expands to the set of both signs; equations compare by their value side (`x = 5` against `5`) or,
///   when both are equations, side by side or as proportional `lhs − rhs`; one-variable inequalities become
///   intervals; percent and degree answers also try their other reading (`50\%` ≡ 0.5 ≡ 50, `60°` ≡ 60 ≡ π/3).
/// - Sets, bare lists and unions compare order-free, tuples and matrices in order, intervals by ends and
///   closedness; a one-element set matches its element.
/// - Scalars compare by canonical form (`Canonicalizer`); when forms differ only because of opaque atoms
///   (or radicals of different indices), by exact or tolerant evaluation at seeded points.
struct Equivalence {
    let canonicalizer: Canonicalizer
    let seed: UInt64
    let points: Int
    var budget: WorkBudget { canonicalizer.budget }
    var algebra: PolynomialAlgebra { canonicalizer.algebra }

    init(budget: WorkBudget, seed: UInt64, points: Int) {
        canonicalizer = Canonicalizer(budget: budget)
        self.seed = seed
        self.points = max(1, points)
    }

    func equivalent(_ gold: MathExpression, _ prediction: MathExpression) throws(MathFailure) -> Bool {
        try budget.spend(6)
        if case .either(let readings) = gold {
            for r in readings where try equivalent(r, prediction) { return true }
            return false
        }
        if case .either(let readings) = prediction {
            for r in readings where try equivalent(gold, r) { return true }
            return false
        }
        if MatrixArithmetic.isMatrixArithmetic(gold) || MatrixArithmetic.isMatrixArithmetic(prediction) {
            return try matricesEqual(gold, prediction)
        }
        let goldAlternatives = try Self.expandPlusMinus(gold, limit: 8)
        let predictionAlternatives = try Self.expandPlusMinus(prediction, limit: 8)
        if goldAlternatives.count > 1 || predictionAlternatives.count > 1 {
            return try sameElements(Self.elements(goldAlternatives), Self.elements(predictionAlternatives))
        }
        switch (gold, prediction) {
        case (.relation, .relation):
            return try relationsEqual(gold, prediction)
        case (.relation, _):
            if let interval = Self.interval(fromInequality: gold) { return try equivalent(interval, prediction) }
            guard let value = Self.valueSide(gold) else { return false }
            return try equivalent(value, prediction)
        case (_, .relation):
            if let interval = Self.interval(fromInequality: prediction) { return try equivalent(gold, interval) }
            guard let value = Self.valueSide(prediction) else { return false }
            return try equivalent(gold, value)

        case (.percent(let x), .percent(let y)), (.degrees(let x), .degrees(let y)):
            return try equivalent(x, y)
        case (.percent(let x), _):
            return try either(x, prediction, .quotient(x, .number(Rational(100))), prediction)
        case (_, .percent(let y)):
            return try either(gold, y, gold, .quotient(y, .number(Rational(100))))
        case (.degrees(let x), _):
            return try either(x, prediction, Self.radians(x), prediction)
        case (_, .degrees(let y)):
            return try either(gold, y, gold, Self.radians(y))

        case (.text(let a), .text(let b)):
            return a == b
        case (.text, _), (_, .text):
            return false

        case (.set(let a), .set(let b)), (.set(let a), .list(let b)), (.list(let a), .set(let b)),
             (.list(let a), .list(let b)), (.union(let a), .union(let b)):
            return try sameElements(a, b)
        case (.union, .list(let b)):
            guard let union = Self.union(ofInequalities: b) else { return false }
            return try equivalent(gold, union)
        case (.list(let a), .union):
            guard let union = Self.union(ofInequalities: a) else { return false }
            return try equivalent(union, prediction)
        case (.set(let a), _) where prediction.isScalar, (.list(let a), _) where prediction.isScalar:
            // `\{5\}`, or `5, 5` (a double root): every element is the value.
            for x in a where !(try equivalent(x, prediction)) { return false }
            return true
        case (_, .set(let b)) where gold.isScalar, (_, .list(let b)) where gold.isScalar:
            for y in b where !(try equivalent(gold, y)) { return false }
            return true
        case (.tuple(let a), .tuple(let b)), (.tuple(let a), .list(let b)), (.list(let a), .tuple(let b)):
            return try sameSequence(a, b)

        case let (.interval(l1, u1, lc1, uc1), .interval(l2, u2, lc2, uc2)):
            guard lc1 == lc2 && uc1 == uc2 else { return false }
            return try sameSequence([l1, u1], [l2, u2])
        case let (.tuple(a), .interval(l, u, false, false)) where a.count == 2:
            return try sameSequence(a, [l, u])
        case let (.interval(l, u, false, false), .tuple(b)) where b.count == 2:
            return try sameSequence([l, u], b)
        case (.union(let a), .interval) where a.count == 1:
            return try equivalent(a[0], prediction)
        case (.interval, .union(let b)) where b.count == 1:
            return try equivalent(gold, b[0])

        case (.ratio(let a), .ratio(let b)):
            return try proportionalSequences(a, b)
        case (.ratio(let a), _) where a.count == 2 && prediction.isScalar:
            return try equivalent(.quotient(a[0], a[1]), prediction)
        case (_, .ratio(let b)) where b.count == 2 && gold.isScalar:
            return try equivalent(gold, .quotient(b[0], b[1]))

        case (.matrix(let a), .matrix(let b)):
            guard a.count == b.count, a.first?.count == b.first?.count else { return false }
            return try sameSequence(a.flatMap { $0 }, b.flatMap { $0 })
        case (.matrix(let a), .tuple(let b)) where a.count == 1 || a.first?.count == 1:
            return try sameSequence(a.flatMap { $0 }, b)
        case (.tuple(let a), .matrix(let b)) where b.count == 1 || b.first?.count == 1:
            return try sameSequence(a, b.flatMap { $0 })

        default:
            guard gold.isScalar && prediction.isScalar else { return false }
            return try scalarsEqual(gold, prediction)
        }
    }

    /// `a ≡ b` or `c ≡ d` (the two readings of a percent or degree answer).
    func either(_ a: MathExpression, _ b: MathExpression, _ c: MathExpression, _ d: MathExpression)
        throws(MathFailure) -> Bool
    {
        if try equivalent(a, b) { return true }
        return try equivalent(c, d)
    }

    // MARK: - Collections

    /// Order-free, duplicates ignored: every element of each side matches one of the other. Scalar elements
    /// are put in canonical form once and matched by key first, so large sets cost near-linear work.
    func sameElements(_ a: [MathExpression], _ b: [MathExpression]) throws(MathFailure) -> Bool {
        if a.count * b.count > 16, let pa = try canonicalForms(a), let pb = try canonicalForms(b) {
            return try sameScalars(pa, pb)
        }
        try budget.spend(2 * a.count * b.count)
        guard try Self.everyMatched(a, in: b, { (x, y) throws(MathFailure) in try equivalent(x, y) }) else { return false }
        return try Self.everyMatched(b, in: a) { (y, x) throws(MathFailure) in try equivalent(x, y) }
    }

    /// Whether every element of `xs` matches some element of `ys`.
    static func everyMatched<T>(_ xs: [T], in ys: [T], _ match: (T, T) throws(MathFailure) -> Bool)
        throws(MathFailure) -> Bool
    {
        for x in xs {
            var found = false
            for y in ys where try match(x, y) {
                found = true
                break
            }
            if !found { return false }
        }
        return true
    }

    /// Canonical forms of all-scalar elements (nil if any is not a scalar or has no canonical form).
    func canonicalForms(_ xs: [MathExpression]) throws(MathFailure) -> [Polynomial]? {
        var out: [Polynomial] = []
        out.reserveCapacity(xs.count)
        for x in xs {
            guard x.isScalar, let p = try canonicalOrNil(x) else { return nil }
            out.append(p)
        }
        return out
    }

    /// The canonical form, or nil when there is none (not a scalar, undefined); limits still throw.
    func canonicalOrNil(_ e: MathExpression) throws(MathFailure) -> Polynomial? { try canonicalizer.canonicalOrNil(e) }

    func sameScalars(_ a: [Polynomial], _ b: [Polynomial]) throws(MathFailure) -> Bool {
        var keys: [[String]] = [[], []]
        for (side, ps) in [a, b].enumerated() {
            for p in ps {
                let key = p.key
                try budget.spendKey(key)
                keys[side].append(key)
            }
        }
        let keysA = Set(keys[0]), keysB = Set(keys[1])
        // Elements whose key the other side lacks are matched by value.
        let restA = zip(a, keys[0]).filter { !keysB.contains($0.1) }.map(\.0)
        let restB = zip(b, keys[1]).filter { !keysA.contains($0.1) }.map(\.0)
        guard try Self.everyMatched(restA, in: b, { (x, y) throws(MathFailure) in try scalarFormsEqual(x, y) }) else {
            return false
        }
        return try Self.everyMatched(restB, in: a) { (y, x) throws(MathFailure) in try scalarFormsEqual(x, y) }
    }

    func sameSequence(_ a: [MathExpression], _ b: [MathExpression]) throws(MathFailure) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where !(try equivalent(x, y)) { return false }
        return true
    }

    static func elements(_ alternatives: [MathExpression]) -> [MathExpression] {
        if alternatives.count == 1 {
            switch alternatives[0] {
            case .set(let xs), .list(let xs): return xs
            default: break
            }
        }
        return alternatives
    }

    /// Whether two ratios are proportional: `5:13` ≡ `10:26`, `1:2:3` ≡ `2:4:6` (a_i·b_0 = b_i·a_0).
    func proportionalSequences(_ a: [MathExpression], _ b: [MathExpression]) throws(MathFailure) -> Bool {
        guard a.count == b.count, a.allSatisfy(\.isScalar), b.allSatisfy(\.isScalar) else { return false }
        for i in 1..<a.count where !(try scalarsEqual(.product([a[i], b[0]]), .product([b[i], a[0]]))) {
            return false
        }
        return true
    }

    /// Matrix arithmetic on either side, evaluated (`MatrixArithmetic`) and compared entry by entry; a tuple on
    /// the other side is a column vector.
    func matricesEqual(_ gold: MathExpression, _ prediction: MathExpression) throws(MathFailure) -> Bool {
        let arithmetic = MatrixArithmetic(canonicalizer: canonicalizer)
        func column(_ e: MathExpression) -> MathExpression {
            if case .tuple(let xs) = e { return .matrix(xs.map { [$0] }) }
            return e
        }
        guard let a = try arithmetic.matrix(column(gold)), let b = try arithmetic.matrix(column(prediction)),
              a.count == b.count, a.first?.count == b.first?.count
        else { return false }
        for (x, y) in zip(a.joined(), b.joined()) where !(try scalarFormsEqual(x, y)) { return false }
        return true
    }

    // MARK: - Plus-minus, degrees

    /// The expression with every `±x` replaced by `+x` and by `−x`: all combinations (at most `limit`).
    static func expandPlusMinus(_ e: MathExpression, limit: Int) throws(MathFailure) -> [MathExpression] {
        guard containsPlusMinus(e) else { return [e] }
        var out: [MathExpression] = []
        try expand(e, limit: limit, into: &out)
        return out
    }

    private static func expand(_ e: MathExpression, limit: Int, into out: inout [MathExpression]) throws(MathFailure) {
        // Replace the first ± found, then recurse on both results.
        var replaced: [MathExpression] = []
        if let (plus, minus) = replaceFirstPlusMinus(e) {
            replaced = [plus, minus]
        } else {
            if out.count >= limit { throw .limit(.elementCount) }
            out.append(e)
            return
        }
        for r in replaced { try expand(r, limit: limit, into: &out) }
    }

    private static func replaceFirstPlusMinus(_ e: MathExpression) -> (MathExpression, MathExpression)? {
        func inList(_ xs: [MathExpression], _ make: ([MathExpression]) -> MathExpression) -> (MathExpression, MathExpression)? {
            for (i, x) in xs.enumerated() {
                if let (a, b) = replaceFirstPlusMinus(x) {
                    var xa = xs, xb = xs
                    xa[i] = a
                    xb[i] = b
                    return (make(xa), make(xb))
                }
            }
            return nil
        }
        switch e {
        case .plusMinus(let x): return (x, .negate(x))
        case .sum(let xs): return inList(xs) { .sum($0) }
        case .product(let xs): return inList(xs) { .product($0) }
        case .negate(let x): return replaceFirstPlusMinus(x).map { (.negate($0.0), .negate($0.1)) }
        case .quotient(let a, let b):
            if let (x, y) = replaceFirstPlusMinus(a) { return (.quotient(x, b), .quotient(y, b)) }
            return replaceFirstPlusMinus(b).map { (.quotient(a, $0.0), .quotient(a, $0.1)) }
        case .relation(let sides, let ops): return inList(sides) { .relation(sides: $0, operators: ops) }
        case .list(let xs): return inList(xs) { .list($0) }
        case .set(let xs): return inList(xs) { .set($0) }
        default: return nil
        }
    }

    static func containsPlusMinus(_ e: MathExpression) -> Bool {
        switch e {
        case .plusMinus: return true
        case .sum(let xs), .product(let xs), .list(let xs), .set(let xs): return xs.contains(where: containsPlusMinus)
        case .negate(let x): return containsPlusMinus(x)
        case .quotient(let a, let b): return containsPlusMinus(a) || containsPlusMinus(b)
        case .relation(let sides, _): return sides.contains(where: containsPlusMinus)
        default: return false
        }
    }

    static func radians(_ degrees: MathExpression) -> MathExpression {
        .product([degrees, .pi, .quotient(.number(.one), .number(Rational(180)))])
    }

    // MARK: - Scalars

    func scalarsEqual(_ a: MathExpression, _ b: MathExpression) throws(MathFailure) -> Bool {
        guard let pa = try canonicalOrNil(a), let pb = try canonicalOrNil(b) else { return false }
        return try scalarFormsEqual(pa, pb)
    }

    /// Canonical forms first; evaluation at seeded points when opaque atoms (or mixed radical indices) leave
    /// the forms inconclusive.
    func scalarFormsEqual(_ pa: Polynomial, _ pb: Polynomial) throws(MathFailure) -> Bool {
        let difference = try algebra.subtract(pa, pb)
        if difference.isZero { return true }
        if difference.constantValue != nil { return false }
        var opaque = false, unevaluable = false
        var radicalIndex: Int?
        for atom in difference.atoms {
            switch atom.kind {
            case .infinity, .imaginary: unevaluable = true
            case .radical(let k, _):
                if let r = radicalIndex, r != k { opaque = true }
                radicalIndex = k
            default: if atom.isOpaque { opaque = true }
            }
        }
        // Distinct monomials in variables, π, e and radicals of one index are independent: a nonzero
        // difference of such forms is a real difference.
        if !opaque || unevaluable { return false }
        return try agreeAtPoints(pa, pb)
    }

    /// Evaluates both at seeded points (exact rationals for the variables); equal when they agree on
    /// `points` of them (one for constants). Points where either is undefined are skipped; if every point
    /// overflowed, the expressions are too large to tell apart (`.limit(.exponentSize)`).
    func agreeAtPoints(_ pa: Polynomial, _ pb: Polynomial) throws(MathFailure) -> Bool {
        var names = Set<String>()
        pa.collectSymbols(into: &names)
        pb.collectSymbols(into: &names)
        let variables = names.sorted()
        let wanted = variables.isEmpty ? 1 : points
        var agreed = 0, overflowed = false
        for attempt in 0..<(wanted * 3) {
            var point: [String: Scalar] = [:]
            for v in variables { point[v] = .exact(Self.coordinate(seed: seed, variable: v, attempt: attempt)) }
            let evaluator = NumericEvaluator(point: point, budget: budget)
            do {
                let x = try evaluator.evaluate(pa)
                let y = try evaluator.evaluate(pb)
                if !Scalar.agree(x, y) { return false }
                agreed += 1
                if agreed >= wanted { return true }
            } catch .undefined {
                continue
            } catch .limit(.exponentSize) {
                overflowed = true
                if variables.isEmpty { break }
            } catch .unsupported {
                return false
            }
        }
        if agreed > 0 { return agreed >= min(wanted, 2) }
        if overflowed { throw .limit(.exponentSize) }
        return false
    }

    /// A rational in roughly [0.3, 4] for `variable` at `attempt`, the same for a given seed everywhere.
    static func coordinate(seed: UInt64, variable: String, attempt: Int) -> Rational {
        var g = SeededGenerator(seed: seed ^ StableHash.fnv1a(variable) &+ UInt64(attempt) &* 0x9E37_79B9)
        let q = 7 + Int(g.next() % 24)
        let p = q / 3 + 1 + Int(g.next() % UInt64(4 * q))
        return Rational(p) / Rational(q)
    }
}
