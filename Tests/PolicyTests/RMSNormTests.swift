import Testing
@testable import Policy

@Suite struct RMSNormTests {
    @Test func gradientsMatchFiniteDifferences() {
        let rows = 3, channels = 20
        let x = TestBuffer(random: rows * channels, seed: 1), w = TestBuffer(random: channels, seed: 2)
        let r = TestBuffer(random: rows * channels, seed: 3)
        let y = TestBuffer(zeros: rows * channels), rstd = TestBuffer(zeros: rows)
        func loss() -> Double {
            RMSNorm.forward(out: y.pointer, rstd: rstd.pointer, input: x.pointer, weight: w.pointer, rows: rows,
                            channels: channels, epsilon: 1e-5)
            return weightedSum(y.pointer, r)
        }
        _ = loss()
        let dx = TestBuffer(zeros: rows * channels), dw = TestBuffer(zeros: channels)
        RMSNorm.backward(dinput: dx.pointer, dweight: dw.pointer, dout: r.pointer, input: x.pointer, weight: w.pointer,
                         rstd: rstd.pointer, rows: rows, channels: channels)
        #expect(finiteDifferenceRatio(x, analytic: dx.array, loss: loss) <= 1)
        #expect(finiteDifferenceRatio(w, analytic: dw.array, loss: loss) <= 1)
    }

    /// Rows split over threads (each with its own ∂L/∂w partial) give the single-thread result.
    @Test func threadedMatchesSerial() {
        let rows = 300, channels = 256
        let x = TestBuffer(random: rows * channels, seed: 4), w = TestBuffer(random: channels, seed: 5)
        let dy = TestBuffer(random: rows * channels, seed: 6)
        var results: [[Float]] = []
        for threads in [1, 2] {
            let y = TestBuffer(zeros: rows * channels), rstd = TestBuffer(zeros: rows)
            let dx = TestBuffer(zeros: rows * channels), dw = TestBuffer(zeros: channels)
            RMSNorm.forward(out: y.pointer, rstd: rstd.pointer, input: x.pointer, weight: w.pointer, rows: rows,
                            channels: channels, epsilon: 1e-6, threads: threads)
            RMSNorm.backward(dinput: dx.pointer, dweight: dw.pointer, dout: dy.pointer, input: x.pointer,
                             weight: w.pointer, rstd: rstd.pointer, rows: rows, channels: channels, threads: threads)
            results.append(y.array + dx.array + dw.array)
        }
        #expect(toleranceRatio(results[1], results[0], rtol: 1e-5, atol: 1e-5) <= 1)
    }
}
