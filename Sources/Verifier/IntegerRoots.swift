import BigInt

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact integer roots and the split of an integer into a perfect k-th power times a k-th-power-free rest,
/// which is what simplifies `√112` to `4√7` and `∛54` to `3∛2`.
enum IntegerRoots {
    /// Primes are trial-divided up to this bound; a cofactor above it is only tested for being a perfect power.
    static let trialDivisionBound: UInt64 = 10_000

    /// The exact `k`-th root of `n` when `n` is a perfect `k`-th power, else nil.
    static func exactRoot(_ n: BigUInt, _ k: Int, budget: WorkBudget) throws(MathFailure) -> BigUInt? {
        let r = try floorRoot(n, k, budget: budget)
        return r.power(k) == n ? r : nil
    }

    /// ⌊n^(1/k)⌋ by Newton's method on integers.
    static func floorRoot(_ n: BigUInt, _ k: Int, budget: WorkBudget) throws(MathFailure) -> BigUInt {
        precondition(k >= 1)
        if n < 2 || k == 1 { return n }
        if k == 2 { return n.squareRoot() }
        let bits = n.bitWidth
        if k >= bits { return 1 }
        var x = BigUInt(1) << ((bits + k - 1) / k)  // ≥ the root
        let kk = BigUInt(k), km1 = BigUInt(k - 1)
        while true {
            try budget.spendArithmetic(bits: bits)
            try budget.spend(k)
            let y = (km1 * x + n / x.power(k - 1)) / kk
            if y >= x { return x }
            x = y
        }
    }

    /// Splits `n > 0` as `outside^k * inside` with `inside` free of k-th powers (best effort above
    /// `trialDivisionBound²`: a repeated prime factor larger than the bound that is not a whole k-th power of
    /// the cofactor is left inside).
    static func splitPower(_ n: BigUInt, index k: Int, budget: WorkBudget) throws(MathFailure)
        -> (outside: BigUInt, inside: BigUInt)
    {
        if n.bitWidth <= 63 {
            let (o, i) = try splitPower(UInt64(n), index: k, budget: budget)
            return (BigUInt(o), BigUInt(i))
        }
        var rest = n, outside = BigUInt(1), inside = BigUInt(1)
        var p: UInt64 = 2
        while p <= trialDivisionBound {
            try budget.spend(1 + rest.bitWidth >> 6)
            let bp = BigUInt(p)
            if bp * bp > rest { break }
            var e = 0
            while true {
                let (q, r) = rest.quotientAndRemainder(dividingBy: bp)
                if !r.isZero { break }
                rest = q
                e += 1
            }
            if e > 0 {
                outside *= bp.power(e / k)
                inside *= bp.power(e % k)
            }
            p += p == 2 ? 1 : 2
        }
        if rest > 1 {
            if let r = try exactRoot(rest, k, budget: budget) {
                outside *= r
            } else {
                inside *= rest
            }
        }
        return (outside, inside)
    }

    /// The same split on machine integers (the common case: small radicands).
    static func splitPower(_ n: UInt64, index k: Int, budget: WorkBudget) throws(MathFailure)
        -> (outside: UInt64, inside: UInt64)
    {
        var rest = n, outside: UInt64 = 1, inside: UInt64 = 1
        var p: UInt64 = 2
        while p <= trialDivisionBound && p * p <= rest {
            try budget.spend(1)
            var e = 0
            while rest % p == 0 {
                rest /= p
                e += 1
            }
            if e > 0 {
                for _ in 0..<(e / k) { outside *= p }
                for _ in 0..<(e % k) { inside *= p }
            }
            p += p == 2 ? 1 : 2
        }
        if rest > 1 {
            if let r = exactRoot(rest, k) {
                outside *= r
            } else {
                inside *= rest
            }
        }
        return (outside, inside)
    }

    /// The exact `k`-th root of a machine integer, if it has one (a floating-point estimate checked exactly).
    static func exactRoot(_ n: UInt64, _ k: Int) -> UInt64? {
        if k == 1 || n < 2 { return n }
        let estimate = UInt64(min(pow(Double(n), 1 / Double(k)).rounded(), 4.0e9))
        for r in [estimate &- 1, estimate, estimate + 1] where r >= 2 {
            var acc: UInt64 = 1, overflow = false
            for _ in 0..<k {
                let (p, o) = acc.multipliedReportingOverflow(by: r)
                if o {
                    overflow = true
                    break
                }
                acc = p
            }
            if !overflow && acc == n { return r }
        }
        return nil
    }

    /// The smallest base `b` and largest `e` with `b^e == n` for an integer `n ≥ 2` below 2^63 (so that `4^5000`
    /// and `2^10000` get the same symbolic form); `(n, 1)` when `n` is not a perfect power.
    static func perfectPowerBase(_ n: UInt64, budget: WorkBudget) throws(MathFailure) -> (base: UInt64, exponent: Int) {
        guard n >= 4 else { return (n, 1) }
        var e = UInt64.bitWidth - 1 - n.leadingZeroBitCount
        try budget.spend(e)
        while e >= 2 {
            if let r = exactRoot(n, e) { return (r, e) }
            e -= 1
        }
        return (n, 1)
    }
}
