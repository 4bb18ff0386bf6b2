import Foundation
import Seeding
import Testing
@testable import Learner

/// The O(T) trace against the dense matrix written straight from ALGORITHMS.md.
@Suite struct TraceOperatorTests {
    static func denseMatrix(_ n: Int, _ trace: LossConfiguration.EligibilityTrace) -> [[Double]] {
        let d = trace.decay
        return (0..<n).map { t in
            (0..<n).map { j -> Double in
                if j > t { return 0 }
                if j == t { return 1 }
                let recent = pow(d, Double(t - j)), early = pow(d, Double(j))
                let w: Double = switch trace.style {
                case .recent: recent
                case .early: early
                case .both: max(recent, early)
                }
                return trace.floor > 0 ? max(w, trace.floor) : w
            }
        }
    }

    @Test(arguments: LossConfiguration.EligibilityTrace.Style.allCases)
    func linearTimeTraceEqualsTheMatrixAndItsTranspose(style: LossConfiguration.EligibilityTrace.Style) {
        var rng = SeededGenerator(seed: 11)
        for lambda in [0.0, 0.3, 0.5, 0.9, 0.99, 1.0] {
            for gamma in [1.0, 0.95] {
                for floor in [0.0, 0.05, 0.5] {
                    for n in [0, 1, 2, 3, 7, 16, 61] {
                        let trace = LossConfiguration.EligibilityTrace(lambda: lambda, gamma: gamma, style: style, floor: floor)
                        let op = TraceOperator(count: n, trace: trace)
                        let w = Self.denseMatrix(n, trace)
                        let x = (0..<n).map { _ in rng.nextGaussian() }
                        let wx = (0..<n).map { t in (0..<n).reduce(0) { $0 + w[t][$1] * x[$1] } }
                        let wtx = (0..<n).map { j in (0..<n).reduce(0) { $0 + w[$1][j] * x[$1] } }
                        let label = "\(style) λ=\(lambda) γ=\(gamma) ε=\(floor) T=\(n)"
                        for (a, b) in zip(op.apply(x), wx) where abs(a - b) > 1e-9 * max(1, abs(b)) {
                            Issue.record("W·x \(label): \(a) vs \(b)")
                            break
                        }
                        for (a, b) in zip(op.applyTransposed(x), wtx) where abs(a - b) > 1e-9 * max(1, abs(b)) {
                            Issue.record("Wᵀ·x \(label): \(a) vs \(b)")
                            break
                        }
                    }
                }
            }
        }
    }

    @Test func longCompletionsStayLinear() {
        // 32k tokens: the dense matrix would be 8 GB; the operator needs a few arrays.
        let n = 32_768
        let op = TraceOperator(count: n, trace: .init(lambda: 0.99, style: .both, floor: 0.05))
        let ones = [Double](repeating: 1, count: n)
        let traced = op.apply(ones)
        #expect(traced.count == n)
        #expect(traced.allSatisfy { $0.isFinite && $0 >= 1 })
        // Row t sums W[t, ·] ≥ 1 + ε·(t − reach): the floor keeps distant tokens in the trace.
        #expect(traced[n - 1] > 0.05 * Double(n - 1000))
    }
}
