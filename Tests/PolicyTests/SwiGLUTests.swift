import Foundation
import Testing
@testable import Policy

@Suite struct SwiGLUTests {
    @Test func gradientsMatchFiniteDifferences() {
        let rows = 3, intermediate = 13
        let gateUp = TestBuffer(random: rows * 2 * intermediate, seed: 1, scale: 2)
        let r = TestBuffer(random: rows * intermediate, seed: 2), act = TestBuffer(zeros: rows * intermediate)
        func loss() -> Double {
            SwiGLU.forward(act: act.pointer, gateUp: gateUp.pointer, rows: rows, intermediate: intermediate)
            return weightedSum(act.pointer, r)
        }
        let d = TestBuffer(zeros: rows * 2 * intermediate)
        SwiGLU.backward(dgateUp: d.pointer, dact: r.pointer, gateUp: gateUp.pointer, rows: rows,
                        intermediate: intermediate)
        #expect(finiteDifferenceRatio(gateUp, analytic: d.array, loss: loss) <= 1)
    }

    /// silu(g)·u against the scalar definition, including large |g| where σ saturates.
    @Test func forwardMatchesDefinition() {
        let g: [Float] = [-100, -20, -3, -0.5, 0, 0.5, 3, 20, 100]
        let gateUp = TestBuffer(g + Array(repeating: 2, count: g.count)), act = TestBuffer(zeros: g.count)
        SwiGLU.forward(act: act.pointer, gateUp: gateUp.pointer, rows: 1, intermediate: g.count)
        for (i, value) in g.enumerated() {
            let expected = Double(value) / (1 + exp(-Double(value))) * 2
            #expect(abs(Double(act.array[i]) - expected) <= 1e-6 * max(1, abs(expected)))
        }
    }
}
