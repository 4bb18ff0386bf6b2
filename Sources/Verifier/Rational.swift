import BigInt

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exact rational number `numerator / denominator`, always reduced, with `denominator > 0`.
///
/// Values that fit in machine words (almost all of them) are computed with overflow-checked `Int` arithmetic;
/// any overflow moves the computation to `BigInt`, and a `BigInt` result that fits again moves back, so each
/// value has exactly one representation (which is what `Hashable` relies on). Arithmetic is unbounded here;
/// callers bound sizes with `WorkBudget` on `bitWidth`.
struct Rational: Hashable, Sendable, Comparable, CustomStringConvertible {
    private enum Storage: Hashable, Sendable {
        /// `n / d`, reduced, `d > 0`, `n != Int.min`.
        case small(Int, Int)
        /// Only for values that do not fit `.small`.
        case big(BigInt, BigInt)
    }

    private let storage: Storage

    static let zero = Rational(0)
    static let one = Rational(1)

    /// The integer `value`.
    init(_ value: Int) {
        storage = value == Int.min ? .big(BigInt(value), 1) : .small(value, 1)
    }

    /// The integer `value`.
    init(integer value: BigInt) {
        storage = Self.make(value, 1)
    }

    /// `n / d` reduced; `d` must be nonzero.
    init(numerator n: Int, denominator d: Int) {
        precondition(d != 0, "Rational with a zero denominator")
        self = Self.reduced(n, d)
    }

    /// `n / d` reduced; `d` must be nonzero (callers check, so this is a precondition).
    init(_ n: BigInt, _ d: BigInt) {
        precondition(!d.isZero, "Rational with a zero denominator")
        let g = Self.gcd(n, d)
        var nn = g == 1 ? n : n / g
        var dd = g == 1 ? d : d / g
        if dd.sign == .minus {
            nn.negate()
            dd.negate()
        }
        storage = Self.make(nn, dd)
    }

    private init(storage: Storage) { self.storage = storage }

    /// `n / d` from machine integers, reduced; `d` nonzero.
    private static func reduced(_ n: Int, _ d: Int) -> Rational {
        var n = n, d = d
        if d < 0 {
            guard n != Int.min && d != Int.min else { return Rational(BigInt(n), BigInt(d)) }
            n = -n
            d = -d
        }
        let g = gcd(n.magnitude, d.magnitude)
        if g > 1 {
            n /= Int(g)
            d /= Int(g)
        }
        if n == Int.min { return Rational(storage: .big(BigInt(n), BigInt(d))) }
        return Rational(storage: .small(n, d))
    }

    private static func make(_ n: BigInt, _ d: BigInt) -> Storage {
        if n.magnitude.bitWidth < 64 && d.magnitude.bitWidth < 64 { return .small(Int(n), Int(d)) }
        return .big(n, d)
    }

    private static func gcd(_ a: UInt, _ b: UInt) -> UInt {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    // MARK: - Parts

    /// The numerator; carries the sign.
    var numerator: BigInt {
        switch storage {
        case .small(let n, _): return BigInt(n)
        case .big(let n, _): return n
        }
    }

    /// The denominator; positive.
    var denominator: BigInt {
        switch storage {
        case .small(_, let d): return BigInt(d)
        case .big(_, let d): return d
        }
    }

    var isZero: Bool {
        if case .small(let n, _) = storage { return n == 0 }
        return false
    }

    var isInteger: Bool {
        switch storage {
        case .small(_, let d): return d == 1
        case .big(_, let d): return d == 1
        }
    }

    var isNegative: Bool {
        switch storage {
        case .small(let n, _): return n < 0
        case .big(let n, _): return n.sign == .minus && !n.isZero
        }
    }

    var isOne: Bool { storage == .small(1, 1) }

    /// Bits needed by the larger of numerator and denominator.
    var bitWidth: Int {
        switch storage {
        case .small(let n, let d): return Int.bitWidth - min(n.magnitude.leadingZeroBitCount, d.leadingZeroBitCount)
        case .big(let n, let d): return Swift.max(n.magnitude.bitWidth, d.magnitude.bitWidth)
        }
    }

    /// The value as an `Int` when it is an integer that fits.
    var intValue: Int? {
        if case .small(let n, 1) = storage { return n }
        return nil
    }

    /// The nearest `Double`; huge or tiny values scale correctly (±infinity only beyond Double's range).
    var doubleValue: Double {
        switch storage {
        case .small(let n, let d): return Double(n) / Double(d)
        case .big(let numerator, let denominator):
            let nb = numerator.magnitude.bitWidth, db = denominator.magnitude.bitWidth
            if nb < 1000 && db < 1000 { return Double(numerator) / Double(denominator) }
            let ns = Swift.max(0, nb - 64), ds = Swift.max(0, db - 64)
            let n = Double(numerator >> ns), d = Double(denominator >> ds)
            return scalbn(n / d, ns - ds)
        }
    }

    var negated: Rational {
        switch storage {
        case .small(let n, let d): return Rational(storage: .small(-n, d))
        case .big(let n, let d): return Rational(storage: Self.make(-n, d))
        }
    }

    var magnitude: Rational { isNegative ? negated : self }

    /// `1 / self`; `self` must be nonzero.
    var reciprocal: Rational {
        precondition(!isZero, "reciprocal of zero")
        switch storage {
        case .small(let n, let d): return n < 0 ? Rational(storage: .small(-d, -n)) : Rational(storage: .small(d, n))
        case .big(let n, let d): return n.sign == .minus ? Rational(-d, -n) : Rational(d, n)
        }
    }

    // MARK: - Arithmetic

    static func + (a: Rational, b: Rational) -> Rational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            if ad == 1 && bd == 1 {
                let (s, o) = an.addingReportingOverflow(bn)
                if !o && s != Int.min { return Rational(storage: .small(s, 1)) }
            } else {
                let (x, o1) = an.multipliedReportingOverflow(by: bd)
                let (y, o2) = bn.multipliedReportingOverflow(by: ad)
                let (s, o3) = x.addingReportingOverflow(y)
                let (d, o4) = ad.multipliedReportingOverflow(by: bd)
                if !(o1 || o2 || o3 || o4) { return reduced(s, d) }
            }
        }
        if a.isInteger && b.isInteger { return Rational(integer: a.numerator + b.numerator) }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    static func - (a: Rational, b: Rational) -> Rational { a + b.negated }

    static func * (a: Rational, b: Rational) -> Rational {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            // Cross-reduce first so products stay small.
            let g1 = Int(gcd(an.magnitude, UInt(bd))), g2 = Int(gcd(bn.magnitude, UInt(ad)))
            let (n, o1) = (an / max(g1, 1)).multipliedReportingOverflow(by: bn / max(g2, 1))
            let (d, o2) = (ad / max(g2, 1)).multipliedReportingOverflow(by: bd / max(g1, 1))
            if !(o1 || o2) && n != Int.min { return Rational(storage: .small(n, d)) }
        }
        let an = a.numerator, ad = a.denominator, bn = b.numerator, bd = b.denominator
        let g1 = gcd(an, bd), g2 = gcd(bn, ad)
        let n = (an / g1) * (bn / g2)
        let d = (ad / g2) * (bd / g1)
        return Rational(storage: make(n, d))
    }

    /// `a / b`; `b` must be nonzero.
    static func / (a: Rational, b: Rational) -> Rational { a * b.reciprocal }

    static func < (a: Rational, b: Rational) -> Bool {
        if case .small(let an, let ad) = a.storage, case .small(let bn, let bd) = b.storage {
            let x = an.multipliedFullWidth(by: bd), y = bn.multipliedFullWidth(by: ad)
            return x.high != y.high ? x.high < y.high : x.low < y.low
        }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// `self` to the integer power `n` (a negative `n` needs a nonzero `self`). Callers bound the size first.
    func power(_ n: Int) -> Rational {
        if n == 0 { return .one }
        if n < 0 { return reciprocal.power(-n) }
        if case .big(let num, let den) = storage { return Rational(storage: Self.make(num.power(n), den.power(n))) }
        if bitsOfPower(n) >= 63 {
            // n/d is reduced, so n^k/d^k is too.
            return Rational(storage: Self.make(numerator.power(n), denominator.power(n)))
        }
        var result = Rational.one, base = self, e = n
        while true {
            if e & 1 == 1 { result = result * base }
            e >>= 1
            if e == 0 { return result }
            base = base * base
        }
    }

    /// Estimated bits of `self^n` (for checking a limit before computing it).
    func bitsOfPower(_ n: Int) -> Int {
        let m = n == Int.min ? Int.max : Swift.max(1, abs(n))
        let (product, overflow) = bitWidth.multipliedReportingOverflow(by: m)
        return overflow ? Int.max : product
    }

    var description: String {
        switch storage {
        case .small(let n, let d): return d == 1 ? String(n) : "\(n)/\(d)"
        case .big(let n, let d): return d == 1 ? n.description : "\(n)/\(d)"
        }
    }
}
