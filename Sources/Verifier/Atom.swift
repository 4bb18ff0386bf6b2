import BigInt

/// An indivisible factor of a `Monomial`: a variable, a constant (π, e, ∞, i), a reduced radical, or an
/// "opaque" sub-expression that cannot be expanded (a huge or symbolic power, `1/(x+1)`, `sin x`, an integral).
///
/// Atoms are identified by `key`, a canonical text of their content, so two opaque atoms built from equivalent
/// canonical forms are the same atom: `10^{10^{10}} - 10^{10^{10}}` cancels without ever being evaluated.
/// Immutable, hence `Sendable`.
final class Atom: Hashable, Comparable, Sendable {
    /// What the atom is.
    enum Kind: Sendable {
        /// A variable, named as written (`x`, `x_1`, `\alpha`).
        case symbol(String)
        case pi, euler, infinity, imaginary
        /// The `index`-th root of `radicand`, an integer > 1 free of `index`-th powers.
        case radical(index: Int, radicand: BigUInt)
        /// `base ^ exponent` that could not be expanded exactly.
        case power(base: Polynomial, exponent: Polynomial)
        /// `1 / p` for a polynomial with several terms whose first coefficient is 1.
        case inverse(Polynomial)
        /// A function application.
        case function(MathFunction, [Polynomial])
        /// A definite integral that could not be integrated exactly (evaluated numerically).
        case integral(integrand: Polynomial, variable: String, lower: Polynomial, upper: Polynomial)
    }

    let kind: Kind
    /// Canonical text; equal keys mean the same atom.
    let key: String
    /// Sort group: symbols, then constants, radicals, opaque atoms.
    let rank: Int
    private let hash: Int

    private init(kind: Kind, key: String, rank: Int) {
        self.kind = kind
        self.key = key
        self.rank = rank
        var hasher = Hasher()
        hasher.combine(key)
        hash = hasher.finalize()
    }

    static func symbol(_ name: String) -> Atom { Atom(kind: .symbol(name), key: name, rank: 0) }
    static let pi = Atom(kind: .pi, key: "#pi", rank: 1)
    static let euler = Atom(kind: .euler, key: "#e", rank: 1)
    static let infinity = Atom(kind: .infinity, key: "#inf", rank: 1)
    static let imaginary = Atom(kind: .imaginary, key: "#i", rank: 1)

    static func radical(index: Int, radicand: BigUInt) -> Atom {
        Atom(kind: .radical(index: index, radicand: radicand), key: "root\(index)(\(radicand))", rank: 2)
    }

    static func power(base: Polynomial, exponent: Polynomial) -> Atom {
        Atom(kind: .power(base: base, exponent: exponent), key: "pow(\(base.key);\(exponent.key))", rank: 3)
    }

    static func inverse(_ p: Polynomial) -> Atom {
        Atom(kind: .inverse(p), key: "inv(\(p.key))", rank: 3)
    }

    static func function(_ f: MathFunction, _ args: [Polynomial]) -> Atom {
        Atom(kind: .function(f, args), key: "\(f.rawValue)(\(args.map(\.key).joined(separator: ";")))", rank: 3)
    }

    static func integral(_ integrand: Polynomial, variable: String, lower: Polynomial, upper: Polynomial) -> Atom {
        Atom(kind: .integral(integrand: integrand, variable: variable, lower: lower, upper: upper),
             key: "int(\(integrand.key);\(variable);\(lower.key);\(upper.key))", rank: 3)
    }

    /// Whether the atom is an opaque sub-expression (a power, inverse, function or integral) rather than a
    /// variable, constant or radical, whose distinct monomials are independent.
    var isOpaque: Bool { rank == 3 }

    /// Whether `name` occurs in this atom (as the atom itself or inside an opaque one).
    func mentions(symbol name: String) -> Bool {
        switch kind {
        case .symbol(let s): return s == name
        case .pi, .euler, .infinity, .imaginary, .radical: return false
        case .power(let b, let e): return b.mentions(symbol: name) || e.mentions(symbol: name)
        case .inverse(let p): return p.mentions(symbol: name)
        case .function(_, let args): return args.contains { $0.mentions(symbol: name) }
        case .integral(let f, let v, let lo, let hi):
            return (v != name && f.mentions(symbol: name)) || lo.mentions(symbol: name) || hi.mentions(symbol: name)
        }
    }

    /// Adds every free variable name of this atom to `names`.
    func collectSymbols(into names: inout Set<String>) {
        switch kind {
        case .symbol(let s): names.insert(s)
        case .pi, .euler, .infinity, .imaginary, .radical: break
        case .power(let b, let e):
            b.collectSymbols(into: &names)
            e.collectSymbols(into: &names)
        case .inverse(let p): p.collectSymbols(into: &names)
        case .function(_, let args): for a in args { a.collectSymbols(into: &names) }
        case .integral(let f, let v, let lo, let hi):
            var inner = Set<String>()
            f.collectSymbols(into: &inner)
            inner.remove(v)
            names.formUnion(inner)
            lo.collectSymbols(into: &names)
            hi.collectSymbols(into: &names)
        }
    }

    static func == (a: Atom, b: Atom) -> Bool { a === b || (a.hash == b.hash && a.key == b.key) }

    static func < (a: Atom, b: Atom) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
