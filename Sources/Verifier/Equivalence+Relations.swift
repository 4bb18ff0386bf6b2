/// Relations: equations, inequalities and labelled answers.
extension Equivalence {
    /// Two relations: as the sets they describe (inequalities as intervals, `x \in S` as `S`), side by side
    /// (either way round), as function definitions (`P(x) = x^2 - 1` ≡ `P(n) = n^2 - 1`), or as proportional
    /// equations (`2x+4y=8` ≡ `x+2y=4`).
    func relationsEqual(_ g: MathExpression, _ p: MathExpression) throws(MathFailure) -> Bool {
        guard case .relation(let gs, let gops) = g, case .relation(let ps, let pops) = p else { return false }
        if let gi = Self.setForm(g), let pi = Self.setForm(p) {
            return try equivalent(gi, pi)
        }
        if gops == pops && gs.count == ps.count {
            var all = true
            for (x, y) in zip(gs, ps) where !(try equivalent(x, y)) {
                all = false
                break
            }
            if all { return true }
        }
        if gs.count == 2 && ps.count == 2 && gops == pops.map(\.flipped).reversed() {
            if try sameSequence([gs[0], gs[1]], [ps[1], ps[0]]) { return true }
        }
        guard gops == [.equal], pops == [.equal] else { return false }
        if let (gf, gv) = Self.functionLabel(gs[0]), let (pf, pv) = Self.functionLabel(ps[0]) {
            // The argument is a dummy variable; the function's name is part of the answer.
            guard gf == pf else { return false }
            return try equivalent(gs[1], ps[1].renaming(pv, to: gv))
        }
        if case .symbol(let a) = gs[0], case .symbol(let b) = ps[0] {
            // `x_1 = -1` and `x = -1` (or `x_2 = -1`) name values of one unknown, the roots of an equation;
            // otherwise "name = value" with different names are different answers (`a_1` and `a_2` are two
            // terms of a sequence, not two values of one unknown).
            guard a != b, Self.unsubscripted(a) == Self.unsubscripted(b),
                  Self.unknowns.contains(String(Self.unsubscripted(a)))
            else { return false }
            return try equivalent(gs[1], ps[1])
        }
        return try proportional(.sum([gs[0], .negate(gs[1])]), .sum([ps[0], .negate(ps[1])]))
    }

    /// Whether `a = c·b` for a nonzero constant `c` (the same equation written differently).
    func proportional(_ a: MathExpression, _ b: MathExpression) throws(MathFailure) -> Bool {
        guard a.isScalar, b.isScalar, let pa = try canonicalOrNil(a), let pb = try canonicalOrNil(b) else {
            return false
        }
        guard let lead = pa.terms.first, let other = pb.terms.first, !pa.isZero, !pb.isZero else { return false }
        guard lead.monomial == other.monomial else { return false }
        let ratio = other.coefficient / lead.coefficient
        return try scalarFormsEqual(algebra.scale(pa, by: ratio), pb)
    }

    /// The side of an equation that holds the value: the right side of `x = 5` (or of `f(x) = ...`), the left
    /// of `5 = x`, the last of a chain `3 + 4 = 7`; `x \in S` gives `S`; `2\sqrt{2} \approx 2.83` gives both the
    /// exact side and the decimal (either matches). Nil for other relations.
    static func valueSide(_ r: MathExpression) -> MathExpression? {
        guard case .relation(let sides, let ops) = r else { return nil }
        if ops == [.elementOf] { return sides[1] }
        guard ops.allSatisfy({ $0 == .equal || $0 == .approximately }) else { return nil }
        if let first = ops.firstIndex(of: .approximately), first > 0 || !isSymbol(sides[0]) {
            // `x = 2\sqrt{2} \approx 2.83`: one value in two forms, the exact one and its decimal.
            let exact = isSymbol(sides[first]) ? sides[first + 1] : sides[first]
            return exact == sides[sides.count - 1] ? exact : .either([exact, sides[sides.count - 1]])
        }
        if case .symbol = sides[sides.count - 1], !isSymbol(sides[0]) { return sides[0] }
        return sides[sides.count - 1]
    }

    static func isSymbol(_ e: MathExpression) -> Bool {
        if case .symbol = e { return true }
        return false
    }

    /// Letters whose subscripts enumerate one unknown's values (`x_1`, `x_2` are the roots).
    static let unknowns: Set<String> = ["x", "y", "z", "t", "r", "s", "w", "k", "m", "n", "\\lambda"]

    /// A variable's name without its subscript: `x_1` → `x`.
    static func unsubscripted(_ name: String) -> Substring {
        name.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)[0]
    }

    /// A variable or a function of a variable (`x`, `f(x)`, `g(t)`): what an inequality bounds.
    static func isVariableLike(_ e: MathExpression) -> Bool {
        isSymbol(e) || functionLabel(e) != nil
    }

    static let functionNames: Set<String> = ["f", "g", "h", "p", "q", "F", "G", "H", "P", "Q", "R", "S", "T"]

    /// `f(x)` as (f, x): a one-letter function name applied to one variable (parsed as the product f·x).
    static func functionLabel(_ e: MathExpression) -> (name: String, argument: String)? {
        guard case .product(let factors) = e, factors.count == 2, case .symbol(let f) = factors[0],
              case .symbol(let v) = factors[1], functionNames.contains(f)
        else { return nil }
        return (f, v)
    }

    /// The set a relation describes: an inequality's interval, or `S` of `x \in S`; nil for equations.
    static func setForm(_ r: MathExpression) -> MathExpression? {
        if let interval = interval(fromInequality: r) { return interval }
        if case .relation(let sides, let ops) = r, ops == [.elementOf], isVariableLike(sides[0]) { return sides[1] }
        return nil
    }

    /// `x < -2 or x > 3` (a list of one-variable inequalities) as the union of their intervals; nil if any
    /// element is not such an inequality.
    static func union(ofInequalities xs: [MathExpression]) -> MathExpression? {
        var parts: [MathExpression] = []
        for x in xs {
            guard let interval = interval(fromInequality: x) else { return nil }
            if case .union(let ys) = interval { parts.append(contentsOf: ys) } else { parts.append(interval) }
        }
        return .union(parts)
    }

    /// `x < 3` → (−∞, 3); `-2 \le x < 5` → [−2, 5); `x \ne 1` → (−∞, 1) ∪ (1, ∞); `0 < f(x) < 2` → (0, 2) (the
    /// range of f). Nil unless a single variable or function value is bounded by constants.
    static func interval(fromInequality r: MathExpression) -> MathExpression? {
        guard case .relation(let sides, let ops) = r else { return nil }
        let strict: (RelationOperator) -> Bool = { $0 == .less || $0 == .greater }
        if sides.count == 2 {
            var (lhs, op, rhs) = (sides[0], ops[0], sides[1])
            if !isVariableLike(lhs) && isVariableLike(rhs) { (lhs, op, rhs) = (rhs, op.flipped, lhs) }
            guard isVariableLike(lhs), !isVariableLike(rhs) else { return nil }
            switch op {
            case .less, .lessEqual:
                return .interval(lower: .negate(.infinity), upper: rhs, lowerClosed: false, upperClosed: !strict(op))
            case .greater, .greaterEqual:
                return .interval(lower: rhs, upper: .infinity, lowerClosed: !strict(op), upperClosed: false)
            case .notEqual:
                return .union([
                    .interval(lower: .negate(.infinity), upper: rhs, lowerClosed: false, upperClosed: false),
                    .interval(lower: rhs, upper: .infinity, lowerClosed: false, upperClosed: false),
                ])
            default: return nil
            }
        }
        if sides.count == 3, isVariableLike(sides[1]), !isVariableLike(sides[0]), !isVariableLike(sides[2]) {
            let ascending = ops.allSatisfy { $0 == .less || $0 == .lessEqual }
            let descending = ops.allSatisfy { $0 == .greater || $0 == .greaterEqual }
            if ascending {
                return .interval(lower: sides[0], upper: sides[2], lowerClosed: !strict(ops[0]), upperClosed: !strict(ops[1]))
            }
            if descending {
                return .interval(lower: sides[2], upper: sides[0], lowerClosed: !strict(ops[1]), upperClosed: !strict(ops[0]))
            }
        }
        return nil
    }

}
