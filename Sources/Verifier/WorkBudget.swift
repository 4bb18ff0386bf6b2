/// The step counter of one grading request: every scan, parse and arithmetic operation spends from it, and
/// running out throws `MathFailure.limit(.workBudget)`. Counting steps instead of reading a clock keeps verdicts
/// deterministic and needs no signals or timers, so it works on any thread.
///
/// Not shared between threads: each grading call makes its own.
final class WorkBudget {
    /// The limits this request runs under.
    let limits: VerifierLimits
    /// Steps spent so far.
    private(set) var spent: Int = 0

    init(limits: VerifierLimits) {
        self.limits = limits
    }

    /// Spends `steps`; throws (before the work is done, so `spent` stops at the budget) once the total would
    /// pass `limits.workBudget`.
    @inline(__always)
    func spend(_ steps: Int) throws(MathFailure) {
        let total = spent &+ steps
        if total > limits.workBudget || total < spent {
            spent = limits.workBudget
            throw .limit(.workBudget)
        }
        spent = total
    }

    /// Spends for scanning `bytes` bytes (one step per 16 bytes: a scan is far cheaper than arithmetic).
    func spendScan(_ bytes: Int) throws(MathFailure) {
        try spend(1 + bytes >> 4)
    }

    /// Spends for one arithmetic operation on numbers of `bits` bits: one step for machine-sized numbers; beyond,
    /// quadratic in the size, as products are, and far more when a fraction has to be reduced (`fraction`),
    /// as the gcd then dominates (measured: about 1 ms at 4096 bits, so 16,800 steps).
    @inline(__always)
    func spendArithmetic(bits: Int, fraction: Bool = false) throws(MathFailure) {
        guard bits > 64 else { return try spend(1) }
        let words = bits >> 6
        try spend(fraction ? 20 + (bits * bits) / 1000 : 1 + words * words)
    }

    /// Spends for building and hashing a canonical key of `key`'s length (one step per 2 bytes).
    @inline(__always)
    func spendKey(_ key: String) throws(MathFailure) {
        try spend(2 + key.utf8.count >> 1)
    }

    /// Throws `.limit(.integerSize)` when `bits` exceeds `limits.maxIntegerBits`.
    @inline(__always)
    func checkBits(_ bits: Int) throws(MathFailure) {
        if bits > limits.maxIntegerBits { throw .limit(.integerSize) }
    }
}
