extension MathExpression {
    /// The expression with the variable `from` renamed `to` everywhere: a function's argument is a dummy
    /// variable, so `P(n) = n^2 - 1` is compared with `P(x) = x^2 - 1` as `x^2 - 1`. Recursion follows the parse
    /// tree, whose depth `VerifierLimits.maxNestingDepth` bounds.
    func renaming(_ from: String, to: String) -> MathExpression {
        func r(_ e: MathExpression) -> MathExpression { e.renaming(from, to: to) }
        switch self {
        case .symbol(let name): return name == from ? .symbol(to) : self
        case .number, .pi, .euler, .infinity, .imaginaryUnit, .text: return self
        case .sum(let xs): return .sum(xs.map(r))
        case .negate(let x): return .negate(r(x))
        case .product(let xs): return .product(xs.map(r))
        case .quotient(let a, let b): return .quotient(r(a), r(b))
        case .power(let a, let b): return .power(r(a), r(b))
        case .root(let x, let k): return .root(r(x), index: k)
        case .function(let f, let xs): return .function(f, xs.map(r))
        case .integral(let f, let v, let lo, let hi):
            return .integral(r(f), variable: v == from ? to : v, lower: lo.map(r), upper: hi.map(r))
        case .plusMinus(let x): return .plusMinus(r(x))
        case .percent(let x): return .percent(r(x))
        case .degrees(let x): return .degrees(r(x))
        case .relation(let sides, let ops): return .relation(sides: sides.map(r), operators: ops)
        case .tuple(let xs): return .tuple(xs.map(r))
        case .list(let xs): return .list(xs.map(r))
        case .set(let xs): return .set(xs.map(r))
        case .union(let xs): return .union(xs.map(r))
        case .ratio(let xs): return .ratio(xs.map(r))
        case .either(let xs): return .either(xs.map(r))
        case .interval(let l, let u, let lc, let uc):
            return .interval(lower: r(l), upper: r(u), lowerClosed: lc, upperClosed: uc)
        case .matrix(let rows): return .matrix(rows.map { $0.map(r) })
        }
    }
}
