#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GRPO-λ's trace matrix W for one sequence of length T, applied in O(T) without forming it.
///
/// W is lower-triangular with W[t, t] = 1; below the diagonal (ALGORITHMS.md) `recent` has d^(t−j), `early`
/// d^j and `both` max(d^(t−j), d^j), with d = γλ ≤ 1, each floored at ε when the ε-trace is on. For every
/// row t the columns j < t fall into three contiguous ranges:
///
///     [0, e_t)        early weights d^j        (prefix sums of d^j x_j)
///     [e_t, r_t)      the floor ε              (prefix sums of x_j)
///     [r_t, t)        recent weights d^(t−j)   (a sliding window; r_t never decreases)
///
/// which covers all three styles: `recent` has e_t = 0, `early` has r_t = t, and `both` splits at t/2 (where
/// d^j and d^(t−j) cross). K, the largest lag whose weight d^K still reaches the floor, bounds the ranges.
/// `apply` computes W·x (the traced log-ratios) and `applyTransposed` Wᵀ·g (their gradient), each O(T).
struct TraceOperator {
    let count: Int
    let decay: Double
    let floor: Double
    /// e_t and r_t for every row.
    private let earlyEnd: [Int]
    private let recentStart: [Int]
    /// d^k for k in 0...T (with 0^0 = 1).
    private let powers: [Double]

    init(count: Int, trace: LossConfiguration.EligibilityTrace) {
        self.count = count
        decay = trace.decay
        floor = trace.floor
        var p = [Double](repeating: 1, count: count + 1)
        for k in stride(from: 1, through: count, by: 1) { p[k] = p[k - 1] * decay }
        powers = p
        let reach = Self.floorReach(decay: decay, floor: floor)
        var e = [Int](repeating: 0, count: count)
        var r = [Int](repeating: 0, count: count)
        for t in 0..<count {
            switch trace.style {
            case .recent:
                e[t] = 0
                r[t] = reach == .max ? 0 : max(0, t - reach)
            case .early:
                e[t] = reach == .max ? t : min(t, reach + 1)
                r[t] = t
            case .both:
                let half = min(t / 2 + 1, t)
                e[t] = reach == .max ? half : min(half, reach + 1)
                r[t] = reach == .max ? half : max(half, t - reach)
            }
        }
        earlyEnd = e
        recentStart = r
    }

    /// The largest k with d^k ≥ ε (weights at lags beyond it are the floor); `.max` when the floor never binds.
    static func floorReach(decay d: Double, floor ε: Double) -> Int {
        if ε <= 0 || d >= 1 { return .max }
        if d <= 0 { return 0 }
        var k = Int((log(ε) / log(d)).rounded(.down))
        while pow(d, Double(k + 1)) >= ε { k += 1 }
        while k > 0 && pow(d, Double(k)) < ε { k -= 1 }
        return max(0, k)
    }

    /// W · x: the traced log-ratios Δ̃ from the per-token log-ratios Δ.
    func apply(_ x: [Double]) -> [Double] {
        precondition(x.count == count)
        var out = [Double](repeating: 0, count: count)
        var earlyPrefix = [Double](repeating: 0, count: count + 1)  // Σ_{j<k} d^j x_j
        var plainPrefix = [Double](repeating: 0, count: count + 1)  // Σ_{j<k} x_j
        for j in 0..<count {
            earlyPrefix[j + 1] = earlyPrefix[j] + powers[j] * x[j]
            plainPrefix[j + 1] = plainPrefix[j] + x[j]
        }
        var window = 0.0  // Σ_{r_t ≤ j < t} d^(t−j) x_j
        for t in 0..<count {
            if t > 0 {
                window = decay * (window + x[t - 1])
                for j in recentStart[t - 1]..<recentStart[t] { window -= powers[t - j] * x[j] }
                if recentStart[t] >= t { window = 0 }
            }
            let e = earlyEnd[t], r = recentStart[t]
            out[t] = x[t] + earlyPrefix[e] + floor * (plainPrefix[r] - plainPrefix[e]) + window
        }
        return out
    }

    /// Wᵀ · g: the gradient with respect to Δ given the gradient with respect to Δ̃.
    func applyTransposed(_ g: [Double]) -> [Double] {
        precondition(g.count == count)
        // Range additions over j for the early and floor parts, as difference arrays.
        var earlyDiff = [Double](repeating: 0, count: count + 1)
        var floorDiff = [Double](repeating: 0, count: count + 1)
        for t in 0..<count {
            earlyDiff[0] += g[t]
            earlyDiff[earlyEnd[t]] -= g[t]
            floorDiff[earlyEnd[t]] += g[t]
            floorDiff[recentStart[t]] -= g[t]
        }
        var out = g
        var earlySum = 0.0, floorSum = 0.0
        for j in 0..<count {
            earlySum += earlyDiff[j]
            floorSum += floorDiff[j]
            out[j] += powers[j] * earlySum + floor * floorSum
        }
        // Recent part: V_j = Σ_{t > j, r_t ≤ j} d^(t−j) g_t over a window (j, last(j)] that slides left.
        var last = count - 1  // the largest t with r_t ≤ j, for the current j
        var window = 0.0
        var j = count - 1
        while j >= 0 {
            let previousLast = last
            while last > j && recentStart[last] > j { last -= 1 }
            if last <= j {
                window = 0
            } else {
                window = decay * window
                for t in stride(from: last + 1, through: previousLast, by: 1) where t > j + 1 {
                    window -= powers[t - j] * g[t]
                }
                window += decay * g[j + 1]
            }
            out[j] += window
            j -= 1
        }
        return out
    }

    /// The dense matrix (for tests): W[t][j].
    func matrix() -> [[Double]] {
        (0..<count).map { t in
            (0..<count).map { j in
                var unit = [Double](repeating: 0, count: count)
                unit[j] = 1
                return apply(unit)[t]
            }
        }
    }
}
