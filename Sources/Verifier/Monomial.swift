/// A product of atoms with integer exponents (negative allowed: `x^{-1}`), factors sorted by atom and merged.
/// The empty monomial is the constant 1.
struct Monomial: Hashable, Sendable, Comparable {
    var factors: [Factor]

    static let one = Monomial(factors: [])

    /// The monomial `atom^1`.
    init(atom: Atom) { factors = [Factor(atom: atom, exponent: 1)] }

    init(factors: [Factor]) { self.factors = factors }

    var isOne: Bool { factors.isEmpty }

    /// Canonical text, e.g. `x^2*y*root2(3)`.
    var key: String {
        var s = ""
        for (i, f) in factors.enumerated() {
            if i > 0 { s += "*" }
            s += f.atom.key
            if f.exponent != 1 { s += "^\(f.exponent)" }
        }
        return s
    }

    static func < (a: Monomial, b: Monomial) -> Bool {
        let n = Swift.min(a.factors.count, b.factors.count)
        for i in 0..<n {
            let fa = a.factors[i], fb = b.factors[i]
            if fa.atom != fb.atom { return fa.atom < fb.atom }
            if fa.exponent != fb.exponent { return fa.exponent < fb.exponent }
        }
        return a.factors.count < b.factors.count
    }
}
