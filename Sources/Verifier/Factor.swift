/// One atom raised to a nonzero integer power inside a `Monomial`.
struct Factor: Hashable, Sendable {
    let atom: Atom
    var exponent: Int
}
