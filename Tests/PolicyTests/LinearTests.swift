import Testing
@testable import Policy

@Suite struct LinearTests {
    /// Through a column block of wider matrices (strides ≠ widths), with a bias.
    @Test func gradientsMatchFiniteDifferences() {
        let rows = 4, inFeatures = 6, outFeatures = 5, inStride = 9, outStride = 7
        let x = TestBuffer(random: rows * inStride, seed: 1), w = TestBuffer(random: outFeatures * inFeatures, seed: 2)
        let b = TestBuffer(random: outFeatures, seed: 3), r = TestBuffer(random: rows * outStride, seed: 4)
        let y = TestBuffer(zeros: rows * outStride)
        for row in 0..<rows { (r.pointer + row * outStride + outFeatures).update(repeating: 0, count: 2) }
        func loss() -> Double {
            Linear.forward(out: y.pointer, outStride: outStride, input: x.pointer, inputStride: inStride,
                           weight: w.pointer, bias: b.pointer, rows: rows, inFeatures: inFeatures,
                           outFeatures: outFeatures)
            return weightedSum(y.pointer, r)
        }
        let dx = TestBuffer(zeros: rows * inStride), dw = TestBuffer(zeros: outFeatures * inFeatures)
        let db = TestBuffer(zeros: outFeatures)
        Linear.backward(dinput: dx.pointer, dinputStride: inStride, dweight: dw.pointer, dbias: db.pointer,
                        dout: r.pointer, doutStride: outStride, input: x.pointer, inputStride: inStride,
                        weight: w.pointer, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
        // Columns past inFeatures are not inputs: their gradient is 0 (dx there is whatever sgemm left: zero it).
        var analyticX = dx.array
        for row in 0..<rows { for column in inFeatures..<inStride { analyticX[row * inStride + column] = 0 } }
        #expect(finiteDifferenceRatio(x, analytic: analyticX, loss: loss) <= 1)
        #expect(finiteDifferenceRatio(w, analytic: dw.array, loss: loss) <= 1)
        #expect(finiteDifferenceRatio(b, analytic: db.array, loss: loss) <= 1)
    }

    /// The decode kernel equals `sgemm` for every small row count, odd widths, bias and accumulation.
    @Test func fewRowsKernelMatchesSgemm() {
        let inFeatures = 23, outFeatures = 7
        let w = TestBuffer(random: outFeatures * inFeatures, seed: 5), b = TestBuffer(random: outFeatures, seed: 6)
        for rows in 1...9 {
            for accumulate in [false, true] {
                let x = TestBuffer(random: rows * inFeatures, seed: UInt64(rows))
                let expected = TestBuffer(random: rows * outFeatures, seed: 7), actual = TestBuffer(expected.array)
                Linear.forward(out: expected.pointer, outStride: outFeatures, input: x.pointer, inputStride: inFeatures,
                               weight: w.pointer, bias: b.pointer, rows: rows, inFeatures: inFeatures,
                               outFeatures: outFeatures, accumulate: accumulate)
                Linear.forwardFewRows(out: actual.pointer, input: x.pointer, weight: w.pointer, bias: b.pointer,
                                      rows: rows, inFeatures: inFeatures, outFeatures: outFeatures,
                                      accumulate: accumulate, threads: 2)
                #expect(toleranceRatio(actual.array, expected.array, rtol: 1e-5, atol: 1e-5) <= 1)
            }
        }
    }
}
