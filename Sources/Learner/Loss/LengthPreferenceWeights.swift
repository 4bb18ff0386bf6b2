#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// λ-GRPO's per-completion weights within a group (arXiv 2510.06870, as ALGORITHMS.md reads it):
/// z_i = (T_i − mean T) / (std T + 1e-6), h_i = max(1 + r·z_i, 1e-6), g_i = h_i^λ, W_i = G · softmax(g)_i.
/// λ = 0 weighs every completion equally; λ > 0 prefers longer completions, λ < 0 shorter ones.
enum LengthPreferenceWeights {
    /// The weights and their derivatives with respect to λ.
    static func compute(lengths: [Int], lambda: Double, rate: Double) -> (weights: [Double], dWeights: [Double]) {
        let n = Double(lengths.count)
        let lengths = lengths.map(Double.init)
        let mean = lengths.reduce(0, +) / n
        let std = (lengths.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let h = lengths.map { max(1 + rate * ($0 - mean) / (std + 1e-6), 1e-6) }
        let g = h.map { pow($0, lambda) }
        let top = g.max() ?? 0
        let e = g.map { exp($0 - top) }
        let total = e.reduce(0, +)
        let s = e.map { $0 / total }
        let dg = zip(g, h).map { $0 * log($1) }  // ∂g_i/∂λ
        let mixed = zip(s, dg).reduce(0) { $0 + $1.0 * $1.1 }
        return (s.map { n * $0 }, zip(s, dg).map { n * $0 * ($1 - mixed) })
    }
}
