/// The canonical form of a scalar expression: a sum of `rational × monomial` terms, sorted by monomial, with no
/// zero coefficient. Two expressions whose canonical forms are equal are equal; `PolynomialAlgebra` builds and
/// combines them under the request's limits.
struct Polynomial: Sendable, Equatable {
    /// One `coefficient × monomial` term.
    struct Term: Sendable, Equatable {
        var monomial: Monomial
        var coefficient: Rational
    }

    /// The terms, sorted by monomial, coefficients nonzero.
    var terms: [Term]

    static let zero = Polynomial(terms: [])
    static let one = Polynomial(constant: .one)

    init(terms: [Term]) { self.terms = terms }

    /// The constant `value`.
    init(constant value: Rational) {
        terms = value.isZero ? [] : [Term(monomial: .one, coefficient: value)]
    }

    /// The atom itself, `1 × atom^1`.
    init(atom: Atom) {
        terms = [Term(monomial: Monomial(atom: atom), coefficient: .one)]
    }

    var isZero: Bool { terms.isEmpty }

    /// The value when the polynomial is a rational constant.
    var constantValue: Rational? {
        if terms.isEmpty { return .zero }
        if terms.count == 1 && terms[0].monomial.isOne { return terms[0].coefficient }
        return nil
    }

    /// Canonical text (terms joined by `+`); equal keys mean equal polynomials.
    var key: String {
        if terms.isEmpty { return "0" }
        var s = ""
        for (i, t) in terms.enumerated() {
            if i > 0 { s += "+" }
            if t.monomial.isOne {
                s += t.coefficient.description
            } else {
                if !t.coefficient.isOne { s += t.coefficient.description + "*" }
                s += t.monomial.key
            }
        }
        return s
    }

    /// Every atom that occurs, at the top level of the terms.
    var atoms: [Atom] {
        var seen = Set<Atom>(), out: [Atom] = []
        for t in terms { for f in t.monomial.factors where seen.insert(f.atom).inserted { out.append(f.atom) } }
        return out
    }

    /// Whether variable `name` occurs anywhere.
    func mentions(symbol name: String) -> Bool {
        terms.contains { t in t.monomial.factors.contains { $0.atom.mentions(symbol: name) } }
    }

    /// Adds every free variable name to `names`.
    func collectSymbols(into names: inout Set<String>) {
        for t in terms { for f in t.monomial.factors { f.atom.collectSymbols(into: &names) } }
    }
}
